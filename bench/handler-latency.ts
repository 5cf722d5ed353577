/** The cost of one cached answer through the exported handler, without HTTP. */
import { performance } from 'node:perf_hooks';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

export async function measureHandler(_gateUrl: string, key: string, iterations = 20_000) {
  // The local gate already loaded the handler and pointed its runtime at the stand-in.
  const { handler } = await import('../functions/http/handler');
  const event = {
    resource: '/v1/queues/{id}/availability',
    path: '/v1/queues/cached/availability',
    httpMethod: 'GET',
    headers: { 'x-api-key': key },
    multiValueHeaders: { 'x-api-key': [key] },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { id: 'cached' },
    stageVariables: null,
    requestContext: {} as APIGatewayProxyEvent['requestContext'],
    body: null,
    isBase64Encoded: false,
  } as APIGatewayProxyEvent;
  const context = { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
  for (let index = 0; index < 1000; index += 1) await handler(event, context); // warm up
  const started = performance.now();
  for (let index = 0; index < iterations; index += 1) await handler(event, context);
  const cachedMicroseconds = Math.round(((performance.now() - started) * 1000) / iterations);
  return { iterations, cachedMicroseconds };
}
