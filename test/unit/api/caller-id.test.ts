/**
 * One callerId per request: every place API Gateway puts one (repeated query values, repeated
 * header lines, a comma-joined header, query and header) must agree, else 400 invalid_request.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createHttpHandler } from '../../../functions/http/handler';
import { requestCallerId } from '../../../shared/api/caller-id';
import { oneRequestValue, requestValues } from '../../../shared/api/request-values';
import { hashKey } from '../../../shared/callers';
import { parseGateConfig } from '../../../shared/config/gate-config';
import { RequestError } from '../../../shared/errors';
import { createRuntime } from '../../../shared/runtime';
import { MemoryStore } from '../../../shared/state/memory-store';
import { availabilityEvent, lambdaContext } from '../../support/api-gateway-event';
import { fakeFetch, jsonReply } from '../../support/fake-fetch';
import { fakeSecretSource } from '../../support/fake-secrets';

const key = 'SENTINEL-KEY-caller-id';

/** An availability event whose multi-value maps hold what API Gateway would put there. */
function event(query: Record<string, string[]>, headers: Record<string, string[]>): APIGatewayProxyEvent {
  const last = (values: Record<string, string[]>) => Object.fromEntries(Object.entries(values).map(([name, list]) => [name, list.at(-1)!]));
  const base = availabilityEvent('held', { query: last(query), headers: { 'x-api-key': key, ...last(headers) } });
  return {
    ...base,
    multiValueQueryStringParameters: Object.keys(query).length ? query : null,
    multiValueHeaders: { ...base.multiValueHeaders, ...headers },
  };
}

describe('requestCallerId', () => {
  test.each([
    ['two query values', { callerId: ['+15551230001', '+15551230002'] }, {}],
    ['two X-Caller-Id lines', {}, { 'X-Caller-Id': ['+15551230001', '+15551230002'] }],
    ['two X-Caller-Id lines in different cases', {}, { 'X-Caller-Id': ['+15551230001'], 'x-caller-id': ['+15551230002'] }],
    ['a comma-joined X-Caller-Id', {}, { 'X-Caller-Id': ['+15551230001, +15551230002'] }],
    ['query and header', { callerId: ['+15551230001'] }, { 'X-Caller-Id': ['+15551230002'] }],
  ])('refuses %s that differ with a 400 invalid_request', (_name, query, headers) => {
    const read = () => requestCallerId(event(query, headers));
    expect(read).toThrow(RequestError);
    expect(read).toThrow(/differ|different values/);
  });

  test.each([
    ['repeated query values', { callerId: ['+15551230001', '+15551230001'] }, {}],
    ['repeated header lines', {}, { 'X-Caller-Id': ['+15551230001', '+15551230001'] }],
    ['a comma-joined header of one value', {}, { 'X-Caller-Id': ['+15551230001,+15551230001'] }],
    ['an unencoded + in one query value and the header', { callerId: [' 15551230001'] }, { 'X-Caller-Id': ['+15551230001'] }],
    // docs/operators/limits.md, "callerId forms": +1 and ten digits, 1 and ten digits, ten digits are one number.
    ['one North American number in three forms (query +1, header 10 digits)', { callerId: ['+15551230001'] }, { 'X-Caller-Id': ['5551230001'] }],
    [
      'one North American number in three forms (query 1 + 10 digits, header +1)',
      { callerId: ['15551230001', '5551230001'] },
      { 'X-Caller-Id': ['+15551230001'] },
    ],
    ['ten digits alone', { callerId: ['5551230001'] }, {}],
  ])('accepts %s that agree, in E.164', (_name, query, headers) => {
    expect(requestCallerId(event(query, headers))).toBe('+15551230001');
  });

  test('two different North American numbers, whatever their forms, are still a 400', () => {
    expect(() => requestCallerId(event({ callerId: ['15551230001'] }, { 'X-Caller-Id': ['5551230002'] }))).toThrow(RequestError);
  });

  test('none given: undefined', () => {
    expect(requestCallerId(event({}, {}))).toBeUndefined();
  });
});

describe('requestValues and oneRequestValue (any query-or-header parameter)', () => {
  const source = { query: 'state', header: 'X-Caller-State' };

  test('reads the single-value maps when an event has no multi-value ones', () => {
    const values = requestValues(
      { queryStringParameters: { state: 'TX' }, multiValueQueryStringParameters: null, headers: { 'x-caller-state': 'TX' }, multiValueHeaders: {} },
      source,
    );
    expect(values).toEqual({ query: ['TX'], header: ['TX'] });
    expect(oneRequestValue(values, 'state')).toBe('TX');
  });

  test('names the parameter and the count of different values', () => {
    expect(() => oneRequestValue({ query: ['TX', 'CA'], header: ['NY'] }, 'state')).toThrow('state was given 3 different values in one request; send one');
  });
});

describe('through the HTTP handler', () => {
  const config = parseGateConfig({ defaults: { holdMs: 30_000 }, queues: [{ id: 'held', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 }] });
  const secrets = { 'transfer-gate/callers': { callers: [{ name: 'acme', keySha256: hashKey(key), queues: ['*'] }] }, 'tg/aloware': { apiToken: 'token' } };
  const fetch = fakeFetch(() => jsonReply({ available_users_count: 3, total_users_count: 5 }));
  const runtime = createRuntime({ config, secretSource: fakeSecretSource(secrets), fetch, store: new MemoryStore() });
  const http = createHttpHandler(() => runtime);
  const call = async (query: Record<string, string[]>, headers: Record<string, string[]>) =>
    (await http(event(query, headers), lambdaContext())) as APIGatewayProxyResult;

  test('two different query values: 400', async () => {
    const result = await call({ callerId: ['+15551230001', '+15551230002'] }, {});
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body)).toEqual({ error: 'invalid_request', message: expect.stringContaining('callerId') });
    expect(result.headers?.['Cache-Control']).toBe('no-store');
  });

  test('two different header lines: 400', async () => {
    expect((await call({}, { 'X-Caller-Id': ['+15551230003', '+15551230004'] })).statusCode).toBe(400);
  });

  test('identical repeats hold for that one callerId', async () => {
    const result = await call({ callerId: ['+15551230005', '+15551230005'] }, { 'X-Caller-Id': ['+15551230005'] });
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ canTransfer: true, hold: { callerId: '+15551230005' } });
  });
});
