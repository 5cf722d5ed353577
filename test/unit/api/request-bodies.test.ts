/**
 * Bodies at the function, wherever it runs: an override body over 4 KB is a 400 before it is
 * parsed, and a route that takes no body refuses one (after the key, as every input check).
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { createHttpHandler } from '../../../functions/http/handler';
import { maxJsonBodyBytes } from '../../../shared/api/route';
import { hashKey } from '../../../shared/callers';
import { parseGateConfig } from '../../../shared/config/gate-config';
import { createRuntime } from '../../../shared/runtime';
import { availabilityEvent, lambdaContext, proxyEvent } from '../../support/api-gateway-event';
import { fakeFetch, jsonReply } from '../../support/fake-fetch';
import { fakeSecretSource } from '../../support/fake-secrets';

const adminKey = 'SENTINEL-ADMIN-KEY-bodies';
const config = parseGateConfig({ queues: [{ id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 }] });
const secrets = {
  'transfer-gate/callers': { callers: [{ name: 'ops', keySha256: hashKey(adminKey), queues: ['*'], admin: true }] },
  'tg/aloware': { apiToken: 'token' },
};
const runtime = createRuntime({
  config,
  secretSource: fakeSecretSource(secrets),
  fetch: fakeFetch(() => jsonReply({ available_users_count: 2, total_users_count: 5 })),
});
const handler = createHttpHandler(() => runtime);

async function putOverride(body: string, key = adminKey) {
  const event = proxyEvent('/v1/queues/{id}/override', '/v1/queues/support/override', { id: 'support' }, { method: 'PUT', headers: { 'x-api-key': key } });
  event.body = body;
  return (await handler(event, lambdaContext())) as APIGatewayProxyResult;
}

/** A valid override body padded with JSON whitespace to exactly `bytes` bytes. */
const paddedBody = (bytes: number) => {
  const json = '{"state":"open"}';
  return `${json.slice(0, -1)}${' '.repeat(bytes - json.length)}}`;
};

test('the limit is 4 KB', () => {
  expect(maxJsonBodyBytes).toBe(4096);
});

test('an override body of exactly 4 KB is read', async () => {
  expect(Buffer.byteLength(paddedBody(maxJsonBodyBytes))).toBe(4096);
  expect((await putOverride(paddedBody(maxJsonBodyBytes))).statusCode).toBe(200);
});

test.each([maxJsonBodyBytes + 1, 1024 * 1024 + 1, 6 * 1024 * 1024])('an override body of %i bytes is a 400 invalid_request, never a 5xx', async (bytes) => {
  const result = await putOverride(paddedBody(bytes));
  expect(result.statusCode).toBe(400);
  expect(JSON.parse(result.body)).toEqual({ error: 'invalid_request', message: `the body is ${bytes} bytes; at most 4096 are accepted` });
  expect(result.headers?.['Cache-Control']).toBe('no-store');
});

test('the key comes first: an oversized body without a known key is a 401', async () => {
  expect((await putOverride(paddedBody(5000), 'not-a-key')).statusCode).toBe(401);
});

test('a body on a route that takes none is a 400 invalid_request', async () => {
  const event = availabilityEvent('support', { headers: { 'x-api-key': adminKey } });
  event.body = '{"queue":"support"}';
  const result = (await handler(event, lambdaContext())) as APIGatewayProxyResult;
  expect(result.statusCode).toBe(400);
  expect(JSON.parse(result.body)).toEqual({ error: 'invalid_request', message: 'this route takes no request body' });
});
