/** API Gateway REST (v1) proxy events, shaped as the deployed API sends them, and a Lambda context. */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

export interface EventInput {
  method?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
}

export function healthEvent(input: EventInput = {}): APIGatewayProxyEvent {
  return proxyEvent('/v1/health', '/v1/health', null, input);
}

/** GET /v1/queues/{id}/availability; `id` is put into the path as given (encoded). */
export function availabilityEvent(id: string, input: EventInput = {}): APIGatewayProxyEvent {
  return proxyEvent('/v1/queues/{id}/availability', `/v1/queues/${encodeURIComponent(id)}/availability`, { id }, input);
}

export function proxyEvent(resource: string, path: string, pathParameters: Record<string, string> | null, input: EventInput = {}): APIGatewayProxyEvent {
  const headers = { Host: 'abc123.execute-api.eu-west-1.amazonaws.com', 'User-Agent': 'curl/8.5.0', ...input.headers };
  const query = input.query && Object.keys(input.query).length ? input.query : null;
  return {
    resource,
    path,
    httpMethod: input.method ?? 'GET',
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    queryStringParameters: query,
    multiValueQueryStringParameters: query && Object.fromEntries(Object.entries(query).map(([name, value]) => [name, [value]])),
    pathParameters,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: input.method ?? 'GET',
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '203.0.113.7',
        user: null,
        userAgent: 'curl/8.5.0',
        userArn: null,
      },
      path: `/prod${path}`,
      stage: 'prod',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTimeEpoch: 1_795_000_000_000,
      resourceId: 'res123',
      resourcePath: resource,
    },
  };
}

export function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'transfer-gate-http',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:transfer-gate-http',
    memoryLimitInMB: '256',
    awsRequestId: 'b9d1bf46-0b3e-4f5e-9a0b-1f2e3d4c5b6a',
    logGroupName: '/aws/lambda/transfer-gate-http',
    logStreamName: '2026/11/22/[$LATEST]abcdef',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
