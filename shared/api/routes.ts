/** The API's routes: the CDK stack defines these resources, the local server matches them. */
export const apiRoutes = [
  { method: 'GET', resource: '/v1/health' },
  { method: 'GET', resource: '/v1/queues/{id}/availability' },
] as const;
