import { parseGateConfig, queueConfigSchema } from '../../../shared/config/gate-config';
import { createVicidialAdapter, vicidialQueueSchema, vicidialVendor } from '../../../shared/vendors/vicidial';
import { type RecordedRequest, jsonReply, textReply } from '../../support/fake-fetch';
import { fixtureText } from '../../support/fixtures';
import { adapterHarness, vendorFailure } from '../../support/vendor-harness';

const apiPass = 'SENTINEL-VICI-PASS';
const secret = { apiUser: 'SENTINEL-VICI-USER', apiPass };
const baseQueue = { id: 'inbound', vendor: 'vicidial', secret: 'tg/vicidial', baseUrl: 'https://dialer.example.com', inGroup: 'SALESLINE' };
const queue = vicidialQueueSchema.parse(baseQueue);
/** PHP's default content type, which VICIdial's API does not change [assumed]. */
const phpText = (body: string) => textReply(body, 200, 'text/html; charset=UTF-8');

function harness(answer: (request: RecordedRequest) => Response | Promise<Response> = () => phpText(fixtureText('vicidial/in-group-status.csv'))) {
  return adapterHarness(createVicidialAdapter, answer);
}

/** The error, which may carry neither the password nor the user (a bad login's line echoes both). */
async function failure(promise: Promise<unknown>) {
  const error = await vendorFailure(promise, apiPass);
  expect(`${error.message}${error.stack}`).not.toContain(secret.apiUser);
  return error;
}

describe('the VICIdial request', () => {
  it('is GET {baseUrl}/vicidial/non_agent_api.php with source, user, pass, in_group_status, one in-group, csv and a header', async () => {
    const { fetch, check } = harness();
    await check(queue, secret);
    const [sent] = fetch.calls;
    expect(sent!.method).toBe('GET');
    expect(`${sent!.url.origin}${sent!.url.pathname}`).toBe('https://dialer.example.com/vicidial/non_agent_api.php');
    expect(Object.fromEntries(sent!.url.searchParams)).toEqual({
      source: 'transfergate',
      user: secret.apiUser,
      pass: apiPass,
      function: 'in_group_status',
      in_groups: 'SALESLINE',
      stage: 'csv',
      header: 'YES',
    });
    expect(sent!.redirect).toBe('manual');
  });
});

describe('the VICIdial config', () => {
  it.each([
    ['no baseUrl', { baseUrl: undefined }, 'baseUrl'],
    ['http:// outside loopback (the password travels in the query)', { baseUrl: 'http://dialer.example.com' }, 'baseUrl'],
    ['a baseUrl with a path', { baseUrl: 'https://dialer.example.com/vicidial' }, 'baseUrl'],
    ['a pipe list of in-groups', { inGroup: 'SALESLINE|SUPPORT' }, 'inGroup'],
    ['an in-group with a space', { inGroup: 'SALES LINE' }, 'inGroup'],
    ['its own cacheTtlMs under 2000', { cacheTtlMs: 1999 }, 'cacheTtlMs'],
  ])('refuses %s', (_label, fields, path) => {
    const parsed = queueConfigSchema.safeParse({ ...baseQueue, ...fields });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });

  it('allows http:// on loopback, for the simulator', () => {
    expect(queueConfigSchema.safeParse({ ...baseQueue, baseUrl: 'http://127.0.0.1:3108' }).success).toBe(true);
  });

  it('refuses a cacheTtlMs under 2000 inherited from defaults, and says where to set it', () => {
    expect(() => parseGateConfig({ defaults: { cacheTtlMs: 500 }, queues: [baseQueue] })).toThrow(
      /queues\[0\]\.cacheTtlMs: vicidial queues need cacheTtlMs of at least 2000/,
    );
    expect(() => parseGateConfig({ defaults: { cacheTtlMs: 500 }, queues: [{ ...baseQueue, cacheTtlMs: 2000 }] })).not.toThrow();
    expect(() => parseGateConfig({ defaults: { cacheTtlMs: 500 }, queues: [{ id: 'a', vendor: 'aloware', secret: 's', ringGroupId: 1 }] })).not.toThrow();
    expect(parseGateConfig({ queues: [baseQueue] }).queues.get('inbound')!.policy.cacheTtlMs).toBe(3000);
  });
});

describe('the VICIdial mapping', () => {
  it('replays the documented line: available = waiting, busy = in calls + dispo + dial, away = paused, total = logged in', async () => {
    const { check } = harness(() => phpText(fixtureText('vicidial/in-group-status-doc.csv')));
    expect(await check(queue, secret)).toStrictEqual({ available: 0, busy: 55, away: 20, total: 75 });
  });

  it('reads columns by name: an extra column, or another order, changes nothing', async () => {
    const { check } = harness(() => phpText(fixtureText('vicidial/in-group-status-extra-column.csv')));
    expect(await check(queue, secret)).toStrictEqual({ available: 5, busy: 11, away: 4, total: 20 });
    const reordered = 'agents_waiting,ingroups,agents_in_dial,agents_in_dispo,agents_paused,agents_in_calls,agents_logged_in\r\n5,SALESLINE,1,1,4,9,20\r\n';
    expect(await harness(() => phpText(reordered)).check(queue, secret)).toStrictEqual({ available: 5, busy: 11, away: 4, total: 20 });
  });
});

describe('VICIdial errors', () => {
  it.each([
    ['a permission ERROR line', 'vicidial/error-permission.txt', 'auth'],
    ['a bad login that echoes the user and password', 'vicidial/error-bad-login.txt', 'auth'],
    ['INVALID SEARCH PARAMETERS', 'vicidial/error-invalid-search.txt', 'bad_request'],
  ] as const)('HTTP 200 with %s is %s, without the line', async (_label, fixture, kind) => {
    const { check } = harness(() => phpText(fixtureText(fixture)));
    const error = await failure(check(queue, secret));
    expect(error).toMatchObject({ kind, status: 200 });
    expect(error.message).not.toMatch(/PERMISSION|Username|SEARCH/);
  });

  it.each([
    ['another ERROR line', 'ERROR: NO FUNCTION SPECIFIED\n', 'server'],
    ['a web server page', '<!DOCTYPE html><html><body>502 Bad Gateway</body></html>', 'bad_payload'],
    ['a line without a header', 'SALESLINE,12,2,20,9,5,4,1,1\n', 'bad_payload'],
    ['two data lines', `${fixtureText('vicidial/in-group-status.csv')}SUPPORT,1,0,2,1,1,0,0,0\n`, 'bad_payload'],
    ['a missing column', 'ingroups,agents_logged_in,agents_in_calls\nSALESLINE,20,9\n', 'bad_payload'],
    ['a count that is not a number', fixtureText('vicidial/in-group-status.csv').replace(',5,4,', ',five,4,'), 'bad_payload'],
    ['a line shorter than its header', 'ingroups,agents_waiting,agents_paused\nSALESLINE,5\n', 'bad_payload'],
    ['an empty body', '', 'bad_payload'],
  ] as const)('%s is %s, never 0 agents', async (_label, body, kind) => {
    const { check } = harness(() => phpText(body));
    expect(await failure(check(queue, secret))).toMatchObject({ kind });
  });

  it.each([
    [401, 'auth'],
    [404, 'not_found'],
    [503, 'server'],
  ] as const)('HTTP %i is %s', async (status, kind) => {
    const { check } = harness(() => textReply('<html>error</html>', status, 'text/html'));
    expect(await failure(check(queue, secret))).toMatchObject({ kind, status });
  });

  it('JSON is not the CSV it asked for: bad_payload', async () => {
    const { check } = harness(() => jsonReply({ agents_waiting: 5 }));
    expect(await failure(check(queue, secret))).toMatchObject({ kind: 'bad_payload' });
  });
});

describe('npm run check advice', () => {
  it('warns when nobody is logged in (what an unknown in-group answers), not otherwise', () => {
    expect(vicidialVendor.checkAdvice({ available: 0, total: 0 })).toMatch(/confirm inGroup/);
    expect(vicidialVendor.checkAdvice({ available: 0, total: 4 })).toBeUndefined();
    expect(vicidialVendor.checkAdvice({ available: 2, total: 2 })).toBeUndefined();
  });
});
