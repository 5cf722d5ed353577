// Must stay the first import: turns log lines on before shared/logger loads.
import '../../support/verbose-logs';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createHttpHandler } from '../../../functions/http/handler';
import { hashKey } from '../../../shared/callers';
import { parseGateConfig } from '../../../shared/config/gate-config';
import { ConfigError } from '../../../shared/errors';
import { createRuntime } from '../../../shared/runtime';
import type { SecretSource } from '../../../shared/secrets';
import { availabilityEvent, healthEvent, lambdaContext, proxyEvent } from '../../support/api-gateway-event';
import { type FakeFetch, fakeFetch, jsonReply } from '../../support/fake-fetch';
import { fakeSecretSource } from '../../support/fake-secrets';
import { fixtureJson } from '../../support/fixtures';
import { captureLogs } from '../../support/logs';

const ivrKey = 'SENTINEL-IVR-KEY-4c2b';
const acmeKey = 'SENTINEL-ACME-KEY-88aa';
const alowareToken = 'SENTINEL-ALOWARE-TOKEN-71d0';
const calltoolsKey = 'SENTINEL-CALLTOOLS-KEY-e3f5';
const secrets = [ivrKey, acmeKey, alowareToken, calltoolsKey];

const config = parseGateConfig({
  queues: [
    { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 },
    { id: 'sales', vendor: 'calltools', secret: 'tg/calltools', silo: 'east-2', queueId: '5457', availableStatusId: '20561', minAvailable: 2 },
    { id: 'backoffice', vendor: 'calltools', secret: 'tg/calltools', silo: 'east-2', queueId: '9', minAvailable: 3 },
  ],
});

const secretValues = {
  'transfer-gate/callers': {
    callers: [
      { name: 'acme-leads', keySha256: hashKey(acmeKey), queues: ['sales'] },
      { name: 'ivr', keySha256: hashKey(ivrKey), queues: ['*'] },
    ],
  },
  'tg/aloware': { apiToken: alowareToken },
  'tg/calltools': { apiKey: calltoolsKey },
};

/** Aloware answers its documented body; CallTools answers 2 agents for queue 5457 and 1 for others. */
function vendorFetch(): FakeFetch {
  return fakeFetch((request) => {
    if (request.url.hostname === 'app.aloware.com') return jsonReply(fixtureJson('aloware/availability-200.json'));
    if (request.url.searchParams.get('queue') === '5457') return jsonReply(fixtureJson('calltools/agentstatuses-200.json'));
    return jsonReply({ count: 1, results: [{}] });
  });
}

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => {
  logs.restore();
  // No response, log line or error message ever contains a vendor credential or a caller key.
  for (const secret of secrets) expect(logs.text()).not.toContain(secret);
});

function gateHandler(secretSource: SecretSource = fakeSecretSource(secretValues), fetch: FakeFetch = vendorFetch()) {
  const runtime = createRuntime({ config, secretSource, fetch });
  const handler = createHttpHandler(() => runtime);
  return {
    fetch,
    async call(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
      const result = await handler(event, lambdaContext());
      expect(result.headers?.['Cache-Control']).toBe('no-store');
      for (const secret of secrets) expect(result.body).not.toContain(secret);
      return result;
    },
  };
}

const withKey = { headers: { 'x-api-key': ivrKey } };
const json = (result: APIGatewayProxyResult) => JSON.parse(result.body) as Record<string, unknown>;

describe('GET /v1/health', () => {
  it('answers ok without a key and without calling a vendor', async () => {
    const secretSource = fakeSecretSource(secretValues);
    const { call, fetch } = gateHandler(secretSource);
    const result = await call(healthEvent());
    expect(result.statusCode).toBe(200);
    expect(json(result)).toEqual({ status: 'ok' });
    expect(result.headers?.['Content-Type']).toMatch(/^application\/json/);
    expect(fetch.calls).toHaveLength(0);
    expect(secretSource.reads).toEqual([]);
  });
});

describe('authentication', () => {
  it('401 unauthorized without a key', async () => {
    const { call, fetch } = gateHandler();
    const result = await call(availabilityEvent('support'));
    expect(result.statusCode).toBe(401);
    expect(json(result)).toEqual({ error: 'unauthorized', message: expect.any(String) });
    expect(fetch.calls).toHaveLength(0);
  });

  it('401 unauthorized with a key that matches no caller', async () => {
    const { call, fetch } = gateHandler();
    const result = await call(availabilityEvent('support', { headers: { 'x-api-key': 'not-a-key' } }));
    expect(result.statusCode).toBe(401);
    expect(json(result).error).toBe('unauthorized');
    expect(fetch.calls).toHaveLength(0);
  });

  it.each([
    ['x-api-key', { headers: { 'X-Api-Key': ivrKey } }],
    ['Authorization: Bearer', { headers: { Authorization: `Bearer ${ivrKey}` } }],
    ['HTTP Basic with the key as password', { headers: { Authorization: `Basic ${Buffer.from(`anyone:${ivrKey}`).toString('base64')}` } }],
    ['?api_key=', { query: { api_key: ivrKey } }],
  ])('accepts the key as %s', async (_label, input) => {
    const { call } = gateHandler();
    const result = await call(availabilityEvent('support', input));
    expect(result.statusCode).toBe(200);
    expect(json(result)).toMatchObject({ queue: 'support', canTransfer: true });
  });
});

describe('queue lookup', () => {
  it('404 queue_not_found for an unknown queue and for a queue the caller may not see, alike', async () => {
    const { call, fetch } = gateHandler();
    const unknown = await call(availabilityEvent('nope', { headers: { 'x-api-key': acmeKey } }));
    const hidden = await call(availabilityEvent('support', { headers: { 'x-api-key': acmeKey } }));
    expect(unknown.statusCode).toBe(404);
    expect(hidden.statusCode).toBe(404);
    expect(json(unknown)).toEqual({ error: 'queue_not_found', message: 'no queue "nope" for this caller' });
    expect(json(hidden)).toEqual({ error: 'queue_not_found', message: 'no queue "support" for this caller' });
    expect(fetch.calls).toHaveLength(0);
  });

  it('lets a caller see the queues on its list', async () => {
    const { call } = gateHandler();
    const result = await call(availabilityEvent('sales', { headers: { 'x-api-key': acmeKey } }));
    expect(result.statusCode).toBe(200);
    expect(json(result)).toMatchObject({ queue: 'sales', availableAgents: 2, minAvailable: 2, canTransfer: true, vendor: 'calltools' });
  });

  it.each(['Support', 'a b', '-x', 'a'.repeat(65)])('400 invalid_request for the queue id %p', async (id) => {
    const { call } = gateHandler();
    const result = await call(availabilityEvent(id, withKey));
    expect(result.statusCode).toBe(400);
    expect(json(result)).toEqual({ error: 'invalid_request', message: expect.stringContaining('queue id') });
  });

  it('reads the queue id from the path when API Gateway gives no path parameters', async () => {
    const { call } = gateHandler();
    const result = await call(proxyEvent('/{proxy+}', '/v1/queues/sales/availability', null, { ...withKey, query: { format: 'count' } }));
    expect(result.statusCode).toBe(200);
    expect(result.body).toBe('2');
  });

  it('400 for a malformed escape in the path when API Gateway gives no path parameters', async () => {
    const { call } = gateHandler();
    const result = await call(proxyEvent('/{proxy+}', '/v1/queues/%E0%A4%A/availability', null, withKey));
    expect(result.statusCode).toBe(400);
    expect(json(result).error).toBe('invalid_request');
  });

  it('404 for a route that does not exist', async () => {
    const { call } = gateHandler();
    const result = await call(proxyEvent('/{proxy+}', '/v2/anything', { proxy: 'v2/anything' }, withKey));
    expect(result.statusCode).toBe(404);
    expect(json(result).error).toBe('not_found');
  });
});

describe('formats', () => {
  it('json by default: the decision in the contract shape', async () => {
    const { call, fetch } = gateHandler();
    const result = await call(availabilityEvent('sales', withKey));
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['Content-Type']).toMatch(/^application\/json/);
    expect(json(result)).toEqual({
      queue: 'sales',
      canTransfer: true,
      reason: 'agents_available',
      availableAgents: 2,
      minAvailable: 2,
      vendor: 'calltools',
      source: 'live',
      checkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      ageMs: expect.any(Number),
    });
    expect(fetch.calls).toHaveLength(1);
  });

  it('json carries the Aloware counts but no agent data', async () => {
    const { call } = gateHandler();
    const result = await call(availabilityEvent('support', withKey));
    expect(json(result)).toMatchObject({ availableAgents: 1, totalAgents: 2, unroutableReasons: {} });
    expect(result.body).not.toMatch(/John|j@x|test_results/);
  });

  it.each([
    ['sales', 'true'],
    ['backoffice', 'false'],
  ])('format=text for %s: %s as text/plain', async (queue, body) => {
    const { call } = gateHandler();
    const result = await call(availabilityEvent(queue, { ...withKey, query: { format: 'text' } }));
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['Content-Type']).toMatch(/^text\/plain/);
    expect(result.body).toBe(body);
  });

  it.each([
    ['sales', '2'],
    ['backoffice', '0'],
  ])('format=count for %s: %s', async (queue, body) => {
    const { call } = gateHandler();
    const result = await call(availabilityEvent(queue, { ...withKey, query: { format: 'count' } }));
    expect(result.headers?.['Content-Type']).toMatch(/^text\/plain/);
    expect(result.body).toBe(body);
  });

  it('Accept: text/plain picks text when no format is given', async () => {
    const { call } = gateHandler();
    const result = await call(availabilityEvent('sales', { headers: { ...withKey.headers, Accept: 'text/plain' } }));
    expect(result.headers?.['Content-Type']).toMatch(/^text\/plain/);
    expect(result.body).toBe('true');
  });

  it('format wins over Accept', async () => {
    const { call } = gateHandler();
    const result = await call(availabilityEvent('sales', { headers: { ...withKey.headers, Accept: 'text/plain' }, query: { format: 'json' } }));
    expect(json(result)).toMatchObject({ canTransfer: true });
  });

  it('Accept: application/json, text/plain stays json', async () => {
    const { call } = gateHandler();
    const result = await call(availabilityEvent('sales', { headers: { ...withKey.headers, Accept: 'application/json, text/plain;q=0.5' } }));
    expect(result.headers?.['Content-Type']).toMatch(/^application\/json/);
  });

  it('ignores unknown query parameters', async () => {
    const { call } = gateHandler();
    const result = await call(availabilityEvent('sales', { ...withKey, query: { utm_source: 'x', format: 'count' } }));
    expect(result.statusCode).toBe(200);
    expect(result.body).toBe('2');
  });

  it('400 invalid_request for an unknown format', async () => {
    const { call } = gateHandler();
    const result = await call(availabilityEvent('sales', { ...withKey, query: { format: 'xml' } }));
    expect(result.statusCode).toBe(400);
    expect(json(result)).toEqual({ error: 'invalid_request', message: expect.stringContaining('format') });
  });
});

describe('vendor answers through the API', () => {
  it('a second request within cacheTtlMs is served from cache', async () => {
    const { call, fetch } = gateHandler();
    await call(availabilityEvent('sales', withKey));
    const second = await call(availabilityEvent('sales', withKey));
    expect(json(second).source).toBe('cache');
    expect(fetch.calls).toHaveLength(1);
  });

  it('a vendor failure is a 200 vendor_error decision, not a server error', async () => {
    const failing = fakeFetch(() => jsonReply({ detail: 'Invalid token.' }, 401));
    const { call } = gateHandler(fakeSecretSource(secretValues), failing);
    const result = await call(availabilityEvent('sales', withKey));
    expect(result.statusCode).toBe(200);
    expect(json(result)).toMatchObject({ canTransfer: false, reason: 'vendor_error', availableAgents: null, vendorError: 'auth' });
    expect(result.body).not.toContain('Invalid token');
  });

  it('format=count under onVendorError allow: one transfer at a time', async () => {
    const allowConfig = parseGateConfig({
      defaults: { onVendorError: 'allow' },
      queues: [{ id: 'sales', vendor: 'calltools', secret: 'tg/calltools', silo: 'east-2', queueId: 1 }],
    });
    const runtime = createRuntime({ config: allowConfig, secretSource: fakeSecretSource(secretValues), fetch: fakeFetch(() => jsonReply({}, 503)) });
    const result = await createHttpHandler(() => runtime)(availabilityEvent('sales', { ...withKey, query: { format: 'count' } }), lambdaContext());
    expect(result.body).toBe('1');
  });
});

describe('500 internal_error', () => {
  it('when the callers secret cannot be read, with no internals in the body', async () => {
    const secretSource: SecretSource = {
      async getSecretString(name) {
        throw Object.assign(new Error(`User arn:aws:iam::123456789012:role/gate is not authorized to read ${name}`), { name: 'AccessDeniedException' });
      },
    };
    const { call, fetch } = gateHandler(secretSource);
    const result = await call(availabilityEvent('sales', withKey));
    expect(result.statusCode).toBe(500);
    expect(json(result)).toEqual({ error: 'internal_error', message: 'the gate could not answer; try again' });
    expect(result.body).not.toMatch(/arn:|AccessDenied|transfer-gate\/callers|stack|at /);
    expect(fetch.calls).toHaveLength(0);
  });

  it('when the runtime cannot be built (a bad config at cold start), with no config details', async () => {
    const handler = createHttpHandler(() => {
      throw new ConfigError('gate.config.json is invalid:\n  - queues[0].secret: must be a Secrets Manager secret name or ARN');
    });
    const result = await handler(availabilityEvent('sales', withKey), lambdaContext());
    expect(result.statusCode).toBe(500);
    expect(result.headers?.['Cache-Control']).toBe('no-store');
    expect(json(result)).toEqual({ error: 'internal_error', message: 'the gate could not answer; try again' });
  });

  it('when the callers secret is malformed', async () => {
    const { call } = gateHandler(fakeSecretSource({ ...secretValues, 'transfer-gate/callers': `{"callers": "${ivrKey}"}` }));
    const result = await call(availabilityEvent('sales', withKey));
    expect(result.statusCode).toBe(500);
    expect(json(result).error).toBe('internal_error');
  });
});

describe('logs', () => {
  it('name the caller and the queue, and say why a vendor read failed', async () => {
    const failing = fakeFetch(() => jsonReply({ detail: 'Invalid token.' }, 401));
    const { call } = gateHandler(fakeSecretSource(secretValues), failing);
    await call(availabilityEvent('sales', withKey));
    const lines = logs
      .text()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ message: 'vendor read failed', queue: 'sales', vendor: 'calltools', vendorError: 'auth', status: 401 }),
        expect.objectContaining({ message: 'availability', caller: 'ivr', queue: 'sales', reason: 'vendor_error' }),
      ]),
    );
  });
});
