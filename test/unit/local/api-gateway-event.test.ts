/**
 * The events the local server builds, checked against AWS's own schema for a REST API proxy event
 * (Powertools parser), and their header/query maps against Object.prototype names.
 */
import type { IncomingMessage } from 'node:http';
import { APIGatewayProxyEventSchema } from '@aws-lambda-powertools/parser/schemas';
import { matchRoute, parseRequestTarget, requestTimeOf, toApiGatewayEvent } from '../../../local/api-gateway-event';

/** The parts of a Node request the event is built from. */
function fakeRequest(target: string, rawHeaders: string[] = []): IncomingMessage {
  const headers: Record<string, string> = {};
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) headers[rawHeaders[index]!.toLowerCase()] = rawHeaders[index + 1]!;
  return { url: target, method: 'GET', httpVersion: '1.1', rawHeaders, headers, socket: { remoteAddress: '127.0.0.1' } } as unknown as IncomingMessage;
}

function eventFor(target: string, rawHeaders: string[] = []) {
  const parsed = parseRequestTarget(target)!;
  const route = matchRoute('GET', parsed.path)!;
  return toApiGatewayEvent(fakeRequest(target, rawHeaders), parsed, route, 'req-1');
}

const oddNames = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];

describe('toApiGatewayEvent', () => {
  it.each([
    ['health, no query, no headers', '/v1/health', []],
    ['a query and a key header', '/v1/queues/support/availability?format=text', ['Host', '127.0.0.1:3000', 'x-api-key', 'k']],
    [
      'multi-value query and headers',
      '/v1/queues/support/availability?format=json&format=text&a=1',
      ['Accept', 'text/plain', 'Accept', 'application/json', 'User-Agent', 'curl/8'],
    ],
    ['Object.prototype names', `/v1/health?${oddNames.map((name) => `${name}=1`).join('&')}`, oddNames.flatMap((name) => [name, 'x'])],
    ['an encoded path parameter', '/v1/queues/a%20b/availability?x=%E2%82%AC', ['host', 'gate.example.com']],
  ])("builds an event AWS's APIGatewayProxyEventSchema accepts: %s", (_name, target, rawHeaders) => {
    const result = APIGatewayProxyEventSchema.safeParse(eventFor(target, rawHeaders));
    expect(result.error?.issues).toBeUndefined();
    expect(result.success).toBe(true);
  });

  it('carries requestTime, extendedRequestId, domainName and domainPrefix as API Gateway does', () => {
    const event = eventFor('/v1/health', ['Host', 'abc123.execute-api.us-east-1.amazonaws.com']);
    expect(event.requestContext.requestTime).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(event.requestContext.extendedRequestId).toBe('req-1');
    expect(event.requestContext.domainName).toBe('abc123.execute-api.us-east-1.amazonaws.com');
    expect(event.requestContext.domainPrefix).toBe('abc123');
  });

  it('formats requestTime in UTC, in the CLF form API Gateway uses', () => {
    expect(requestTimeOf(Date.UTC(2015, 3, 9, 12, 34, 5))).toBe('09/Apr/2015:12:34:05 +0000');
  });

  it('gives every instant of one second the same requestTime, and the next second its own', () => {
    const second = Date.UTC(2026, 10, 22, 9, 5, 59);
    expect(requestTimeOf(second + 999)).toBe('22/Nov/2026:09:05:59 +0000');
    expect(requestTimeOf(second)).toBe('22/Nov/2026:09:05:59 +0000');
    expect(requestTimeOf(second + 1000)).toBe('22/Nov/2026:09:06:00 +0000');
    expect(requestTimeOf(second - 1)).toBe('22/Nov/2026:09:05:58 +0000');
  });

  it('keeps Object.prototype names as plain header and query names, with no inherited members', () => {
    const event = eventFor(
      `/v1/health?${oddNames.map((name) => `${name}=q`).join('&')}`,
      oddNames.flatMap((name) => [name, 'h']),
    );
    for (const map of [event.headers, event.queryStringParameters!]) {
      for (const name of oddNames) expect(Object.getOwnPropertyDescriptor(map, name)?.value).toBe(map === event.headers ? 'h' : 'q');
      expect(Object.keys(map).sort()).toEqual([...oddNames].sort());
    }
    for (const map of [event.multiValueHeaders, event.multiValueQueryStringParameters!]) {
      for (const name of oddNames) expect(Object.getOwnPropertyDescriptor(map, name)?.value).toEqual([expect.any(String)]);
    }
    expect(event.headers['toString']).toBe('h');
    expect((event.headers as Record<string, unknown>)['isPrototypeOf']).toBeUndefined();
  });
});

describe('parseRequestTarget', () => {
  it.each(['//', '/\\', '//a:99999', '//evil.example/v1/health'])('reads %j as a path that matches no route, without throwing', (target) => {
    const parsed = parseRequestTarget(target);
    expect(parsed?.path).toBe(target);
    expect(matchRoute('GET', parsed!.path)).toBeUndefined();
  });

  it('reads an absolute-form target as its path and query', () => {
    const parsed = parseRequestTarget('http://127.0.0.1:3000/v1/health?a=1');
    expect(parsed?.path).toBe('/v1/health');
    expect(parsed?.query.get('a')).toBe('1');
  });

  it.each(['*', 'a:99999', 'http://a:99999/'])('refuses %j (neither a path nor a valid URL)', (target) => {
    expect(parseRequestTarget(target)).toBeUndefined();
  });
});

describe('matchRoute (the route table matcher, patterns compiled once)', () => {
  it('matches a resource literally: the dot of /v1/openapi.json is no wildcard, as in API Gateway', () => {
    expect(matchRoute('GET', '/v1/openapi.json')).toEqual({ resource: '/v1/openapi.json', pathParameters: null });
    expect(matchRoute('GET', '/v1/openapiXjson')).toBeUndefined();
  });

  it('gives the same answer on every call, with path parameters decoded and trailing slashes ignored', () => {
    for (let round = 0; round < 3; round += 1) {
      expect(matchRoute('GET', '/v1/queues/a%20b/availability/')).toEqual({ resource: '/v1/queues/{id}/availability', pathParameters: { id: 'a b' } });
      expect(matchRoute('PUT', '/v1/queues/a/availability')).toBeUndefined();
    }
  });
});

test('matchRoute says which routes read a body: only the override PUT', () => {
  expect(matchRoute('PUT', '/v1/queues/a/override')?.takesBody).toBe(true);
  for (const [method, path] of [
    ['GET', '/v1/queues/a/override'],
    ['GET', '/v1/queues/a/availability'],
    ['DELETE', '/v1/queues/a/holds/b'],
  ]) {
    expect(matchRoute(method!, path!)?.takesBody).toBeUndefined();
  }
});
