/**
 * Amazon Connect: the documented GetCurrentMetricData, DescribeQueue and STS AssumeRole bodies
 * (test/fixtures/amazon-connect) replayed through the real AWS SDK clients over a fake fetch.
 */
import { createHttpClient } from '../../../shared/vendors/http-client';
import { type AmazonConnectQueue, amazonConnectQueueSchema, amazonConnectVendor, createAmazonConnectAdapter } from '../../../shared/vendors/amazon-connect';
import { type RecordedRequest, fakeFetch, hangingFetch, jsonReply, textReply } from '../../support/fake-fetch';
import { fixtureJson, fixtureText } from '../../support/fixtures';
import { awsOverFetch, vendorFailure } from '../../support/vendor-harness';

const instanceId = '0f8fad5b-d9cb-469f-a165-70867728950e';
const queueId = '457857dc-19eb-4eb9-b562-c90ca37de447';
const queueArn = `arn:aws:connect:us-east-1:123456789012:instance/${instanceId}/queue/${queueId}`;
const roleArn = 'arn:aws:iam::210987654321:role/transfer-gate-reader';
const externalId = 'SENTINEL-CONNECT-EXTERNAL-ID-51c2';
/** The fixtures' DataSnapshotTime, plus two seconds. */
const snapshotMs = 1733220000123;
const fixtureNow = snapshotMs + 2000;

const ownQueue = amazonConnectQueueSchema.parse({ id: 'connect', vendor: 'amazon-connect', region: 'us-east-1', instanceId, queueId });
const roleQueue = amazonConnectQueueSchema.parse({ ...ownQueue, roleArn, secret: 'tg/connect' });

const awsError = (status: number, type: string, body: unknown, headers: Record<string, string> = {}) =>
  jsonReply(body, status, { 'x-amzn-ErrorType': type, 'x-amzn-RequestId': 'req-1234', ...headers });

function harness(answer: (request: RecordedRequest) => Response | Promise<Response>, now = () => fixtureNow) {
  const fetch = fakeFetch(answer);
  const charges = { count: 0 };
  const adapter = createAmazonConnectAdapter({ http: createHttpClient({ fetch }), now, aws: awsOverFetch(fetch) });
  const check = (queue: AmazonConnectQueue, signal = new AbortController().signal) =>
    adapter.check({ queue, secret: queue.roleArn ? { externalId } : undefined, signal, deadline: now() + 2500, charge: async () => void (charges.count += 1) });
  return { fetch, check, charges };
}

const metrics =
  (name = 'current-metric-data.json') =>
  () =>
    jsonReply(fixtureJson(`amazon-connect/${name}`));
const isMetrics = (request: RecordedRequest) => request.url.pathname.startsWith('/metrics/current/');

describe('the GetCurrentMetricData request', () => {
  it('is one signed POST /metrics/current/{InstanceId} for one queue, the VOICE channel and the seven metrics', async () => {
    const { fetch, check, charges } = harness(metrics());
    await check(ownQueue);
    expect(fetch.calls).toHaveLength(1);
    const [sent] = fetch.calls;
    expect(sent!.method).toBe('POST');
    expect(sent!.url.href).toBe(`https://connect.us-east-1.amazonaws.com/metrics/current/${instanceId}`);
    expect(sent!.headers.get('authorization')).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTESTONLY\/\d{8}\/us-east-1\/connect\/aws4_request/);
    expect(JSON.parse(sent!.body!)).toEqual({
      Filters: { Queues: [queueId], Channels: ['VOICE'] },
      Groupings: ['QUEUE'],
      CurrentMetrics: [
        'AGENTS_AVAILABLE',
        'AGENTS_ONLINE',
        'AGENTS_STAFFED',
        'AGENTS_ON_CONTACT',
        'AGENTS_NON_PRODUCTIVE',
        'AGENTS_ERROR',
        'CONTACTS_IN_QUEUE',
      ].map((Name) => ({ Name, Unit: 'COUNT' })),
    });
    expect(charges.count).toBe(1);
  });

  it('sends a queue ARN as given, and never retries (the gate owns retries)', async () => {
    const { fetch, check } = harness(() => awsError(500, 'InternalServiceException', { message: 'oops' }));
    const byArn = amazonConnectQueueSchema.parse({ ...ownQueue, queueId: queueArn });
    await vendorFailure(check(byArn), externalId);
    expect(fetch.calls).toHaveLength(1);
    expect(JSON.parse(fetch.calls[0]!.body!).Filters.Queues).toEqual([queueArn]);
  });
});

describe('the documented answers', () => {
  it('maps AGENTS_AVAILABLE, ON_CONTACT, NON_PRODUCTIVE + ERROR and ONLINE', async () => {
    expect(await harness(metrics()).check(ownQueue)).toEqual({ available: 3, busy: 4, away: 3, total: 9 });
  });

  it('refuses a null AGENTS_AVAILABLE ("insufficient data") rather than read it as 0', async () => {
    const error = await vendorFailure(harness(metrics('current-metric-data-null.json')).check(ownQueue), externalId);
    expect(error.kind).toBe('bad_payload');
  });

  it('refuses a snapshot more than 60 s old', async () => {
    const error = await vendorFailure(harness(metrics(), () => snapshotMs + 61_000).check(ownQueue), externalId);
    expect(error).toMatchObject({ kind: 'bad_payload', message: expect.stringContaining('older than 60 s') });
  });

  it('answers 0 for an empty list only once DescribeQueue finds the queue, and remembers that', async () => {
    const { fetch, check, charges } = harness((request) =>
      isMetrics(request) ? metrics('current-metric-data-empty.json')() : jsonReply(fixtureJson('amazon-connect/describe-queue.json')),
    );
    expect(await check(ownQueue)).toEqual({ available: 0, busy: 0, away: 0, total: 0 });
    await check(ownQueue);
    const describes = fetch.calls.filter((call) => call.method === 'GET');
    expect(describes.map((call) => call.url.pathname)).toEqual([`/queues/${instanceId}/${queueId}`]);
    expect(charges.count).toBe(3);
  });

  it('makes an empty list for a queue DescribeQueue does not find not_found, never 0 agents', async () => {
    const { check } = harness((request) =>
      isMetrics(request)
        ? metrics('current-metric-data-empty.json')()
        : awsError(404, 'ResourceNotFoundException', fixtureJson('amazon-connect/error-resource-not-found.json')),
    );
    const byArn = amazonConnectQueueSchema.parse({ ...ownQueue, queueId: queueArn });
    expect((await vendorFailure(check(byArn), externalId)).kind).toBe('not_found');
  });
});

describe('errors, by the SDK error name', () => {
  const cases: Array<[string, () => Response, string]> = [
    ['ThrottlingException 429', () => awsError(429, 'ThrottlingException', fixtureJson('amazon-connect/error-throttling.json')), 'rate_limited'],
    ['AccessDeniedException 403', () => awsError(403, 'AccessDeniedException', fixtureJson('amazon-connect/error-access-denied.json')), 'auth'],
    [
      'UnrecognizedClientException 403',
      () => awsError(403, 'UnrecognizedClientException', { message: 'The security token included in the request is invalid.' }),
      'auth',
    ],
    ['ExpiredTokenException 400', () => awsError(400, 'ExpiredTokenException', { message: 'The security token included in the request is expired' }), 'auth'],
    ['InvalidParameterException 400', () => awsError(400, 'InvalidParameterException', { message: 'bad' }), 'bad_request'],
    ['InvalidRequestException 400', () => awsError(400, 'InvalidRequestException', { message: 'bad' }), 'bad_request'],
    [
      'ResourceNotFoundException 404',
      () => awsError(404, 'ResourceNotFoundException', fixtureJson('amazon-connect/error-resource-not-found.json')),
      'not_found',
    ],
    ['InternalServiceException 500', () => awsError(500, 'InternalServiceException', { message: 'oops' }), 'server'],
    ['an HTML 200', () => textReply('<html>sign in</html>', 200, 'text/html'), 'bad_payload'],
  ];

  it.each(cases)('maps %s, keeping the request id but not the message', async (_name, reply, kind) => {
    const error = await vendorFailure(harness(reply).check(ownQueue), externalId);
    expect(error.kind).toBe(kind);
    expect(error.message).not.toMatch(/not authorized|Rate exceeded|security token/);
    if (reply().headers.get('x-amzn-requestid')) expect(error.message).toContain('request id req-1234');
  });

  it('blocks the Region for at least 1 s on a throttle without Retry-After', async () => {
    const error = await vendorFailure(harness(cases[0]![1]).check(ownQueue), externalId);
    expect(error.retryAfterMs).toBe(1000);
  });

  it('is a timeout when the check budget runs out', async () => {
    const fetch = hangingFetch();
    const adapter = createAmazonConnectAdapter({ http: createHttpClient({ fetch }), now: () => fixtureNow, aws: awsOverFetch(fetch) });
    const budget = new AbortController();
    const pending = adapter.check({ queue: ownQueue, secret: undefined, signal: budget.signal, deadline: fixtureNow + 50 });
    setTimeout(() => budget.abort(), 20);
    expect((await vendorFailure(pending, externalId)).kind).toBe('timeout');
  });
});

describe('another account: the assumed role', () => {
  const isSts = (request: RecordedRequest) => request.url.hostname === 'sts.us-east-1.amazonaws.com';

  it('assumes roleArn with the external id, signs Connect with those credentials and reuses them', async () => {
    const { fetch, check } = harness((request) => (isSts(request) ? textReply(fixtureText('amazon-connect/assume-role.xml'), 200, 'text/xml') : metrics()()));
    await check(roleQueue);
    await check(roleQueue);
    const [assume, first, second] = fetch.calls;
    expect(fetch.calls).toHaveLength(3);
    expect(Object.fromEntries(new URLSearchParams(assume!.body))).toMatchObject({
      Action: 'AssumeRole',
      RoleArn: roleArn,
      ExternalId: externalId,
      RoleSessionName: 'transfer-gate',
    });
    expect(assume!.headers.get('authorization')).toMatch(/\/us-east-1\/sts\/aws4_request/);
    for (const call of [first!, second!]) {
      expect(call.headers.get('authorization')).toMatch(/Credential=ASIAIOSFODNN7EXAMPLE\//);
      expect(call.headers.get('x-amz-security-token')).toMatch(/^AQoDYXdzEPT/);
    }
  });

  it('assumes the role again within 5 minutes of the credentials expiring', async () => {
    let now = fixtureNow;
    const { fetch, check } = harness(
      (request) => (isSts(request) ? textReply(fixtureText('amazon-connect/assume-role.xml'), 200, 'text/xml') : metrics()()),
      () => now,
    );
    await check(roleQueue);
    // The fixture's credentials expire at 11:00:00Z; its snapshot is of 10:00:00Z.
    now = Date.parse('2024-12-03T10:56:00Z');
    await check(roleQueue).catch(() => undefined);
    expect(fetch.calls.filter(isSts)).toHaveLength(2);
  });

  it('makes a refused AssumeRole (a wrong external id) auth, without the external id', async () => {
    const { fetch, check } = harness((request) =>
      isSts(request) ? textReply(fixtureText('amazon-connect/error-assume-role-denied.xml'), 403, 'text/xml') : metrics()(),
    );
    const error = await vendorFailure(check(roleQueue), externalId);
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('STS AssumeRole answered AccessDenied');
    expect(fetch.calls.filter(isMetrics)).toHaveLength(0);
  });
});

describe('the queue config', () => {
  const base = { id: 'c', vendor: 'amazon-connect', region: 'eu-west-2', instanceId, queueId };

  it('needs no secret, and takes roleArn and secret only together', () => {
    expect(amazonConnectQueueSchema.safeParse(base).success).toBe(true);
    expect(amazonConnectQueueSchema.safeParse({ ...base, roleArn, secret: 'tg/c' }).success).toBe(true);
    for (const half of [{ roleArn }, { secret: 'tg/c' }]) {
      expect(amazonConnectQueueSchema.safeParse({ ...base, ...half }).error?.issues[0]?.message).toMatch(/roleArn and secret together/);
    }
  });

  it('refuses a queue ARN of another Region or instance, a bad region and a non-loopback endpoint', () => {
    const issues = (input: object) =>
      amazonConnectQueueSchema.safeParse({ ...base, ...input }).error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(issues({ queueId: queueArn })).toEqual(['queueId: the queue ARN must name the same region and instanceId as the queue']);
    expect(issues({ region: 'EU-WEST-2' })?.[0]).toMatch(/^region: must be an AWS Region/);
    expect(issues({ endpoint: 'https://connect.eu-west-2.amazonaws.com' })?.[0]).toMatch(/^endpoint: must be a loopback URL/);
    expect(issues({ endpoint: 'http://127.0.0.1:3109' })).toBeUndefined();
  });

  it('keys budgets and blocks by Region, and asks IAM for exactly its ARNs or its role', () => {
    const queue = amazonConnectQueueSchema.parse(base);
    expect(amazonConnectVendor.limits.key(queue)).toBe('amazon-connect:eu-west-2');
    expect(amazonConnectVendor.iamStatements(queue, { account: '111122223333', partition: 'aws' })).toEqual([
      {
        actions: ['connect:GetCurrentMetricData'],
        resources: [
          `arn:aws:connect:eu-west-2:111122223333:instance/${instanceId}`,
          `arn:aws:connect:eu-west-2:111122223333:instance/${instanceId}/queue/${queueId}`,
        ],
      },
      { actions: ['connect:DescribeQueue'], resources: [`arn:aws:connect:eu-west-2:111122223333:instance/${instanceId}/queue/${queueId}`] },
    ]);
    const byArn = amazonConnectQueueSchema.parse({ ...base, region: 'us-east-1', queueId: queueArn });
    expect(amazonConnectVendor.iamStatements(byArn, { account: '111122223333', partition: 'aws' })[1]!.resources).toEqual([queueArn]);
    expect(amazonConnectVendor.iamStatements(amazonConnectQueueSchema.parse({ ...base, roleArn, secret: 's' }), { account: '1', partition: 'aws' })).toEqual([
      { actions: ['sts:AssumeRole'], resources: [roleArn] },
    ]);
  });
});
