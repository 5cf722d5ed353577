/**
 * One contract for every adapter (docs/operators/vendors/README.md: the normalized answer and its rules): the
 * same expectations, run against every registered adapter through the real HTTP client (or the
 * real AWS SDK client) and a fake fetch.
 */
import { queueConfigSchema } from '../../../shared/config/gate-config';
import type { VendorErrorKind } from '../../../shared/errors';
import type { AdapterDeps } from '../../../shared/vendors/port';
import { type AnyVendorAdapter, type VendorName, vendorModule, vendorNames } from '../../../shared/vendors/registry';
import { abortError, jsonReply, type RecordedRequest, textReply } from '../../support/fake-fetch';
import { adapterHarness, testNow, vendorFailure } from '../../support/vendor-harness';

/** Per-vendor inputs; the adapter comes from the vendor's registered module. A vendor without a case does not compile. */
interface ContractCase {
  queue: Record<string, unknown>;
  secret: Record<string, string>;
  /** The availability call, the one the failure cases break. */
  isAvailabilityCall(request: RecordedRequest): boolean;
  availableBody(available: number): unknown;
  /** How the body travels: JSON unless the vendor answers text (VICIdial's CSV). */
  asText?: boolean;
  /** Answers for the other calls a check needs (tokens, team members). */
  setup?(request: RecordedRequest): Response | undefined;
}

const connectInstanceId = '0f8fad5b-d9cb-469f-a165-70867728950e';
const connectQueueId = '457857dc-19eb-4eb9-b562-c90ca37de447';
const assumeRoleReply = () =>
  textReply(
    '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIATESTONLY</AccessKeyId>' +
      `<SecretAccessKey>SECRETassumed-key</SecretAccessKey><SessionToken>SECRETsession</SessionToken><Expiration>${new Date(testNow + 3600_000).toISOString()}</Expiration>` +
      '</Credentials></AssumeRoleResult></AssumeRoleResponse>',
    200,
    'text/xml',
  );
const agent = (index: number) => ({
  _id: `a${index}`,
  userId: `u${index}`,
  firstName: 'PIIFirst',
  lastName: 'PIILast',
  emailId: 'pii@example.test',
  phoneNumber: '+15550100',
});
const teamSize = 6;
const twilioAccountSid = `AC${'c'.repeat(32)}`;

const cases: Record<VendorName, ContractCase> = {
  aloware: {
    queue: { vendor: 'aloware', ringGroupId: 1 },
    secret: { apiToken: 'SECRETaloware' },
    isAvailabilityCall: (request) => request.url.pathname === '/api/v1/webhook/ring-group/availability',
    availableBody: (available) => ({
      test_results: [],
      available_users_count: available,
      unavailable_users_count: teamSize - available,
      total_users_count: teamSize,
    }),
  },
  koreai: {
    queue: { vendor: 'koreai', botId: 'st-123', queueIds: ['qu-1'] },
    secret: { clientId: 'cs-SECRETkoreid', clientSecret: 'SECRETkore-client-secret-long-enough', accountId: 'SECRETaccount' },
    isAvailabilityCall: (request) => request.url.pathname.endsWith('/agents/availability'),
    availableBody: (available) => ({
      AVAILABLE: Array.from({ length: available }, (_, index) => agent(index)),
      BUSY: Array.from({ length: teamSize - available }, (_, index) => agent(100 + index)),
      OFFLINE: [],
      AWAY: [],
    }),
  },
  vonage: {
    queue: { vendor: 'vonage', region: 'emea', queueGuids: ['457857dc-19eb-4eb9-b562-c90ca37de447'] },
    secret: { clientId: 'SECRETvonageid', clientSecret: 'SECRETvonage-secret' },
    isAvailabilityCall: (request) => request.url.pathname === '/agents-availability',
    availableBody: (available) => ({
      presenceSummary: { Ready: teamSize, Away: 0, ExtendedAway: 0, LoggedOut: 0 },
      availabilitySummary: { available, incompatiblePresence: 0, insufficientCapacity: teamSize - available },
    }),
    setup: (request) =>
      request.url.pathname === '/Auth/connect/token' ? jsonReply({ access_token: 'SECRETaccess-token', expires_in: 7200, token_type: 'Bearer' }) : undefined,
  },
  aircall: {
    queue: { vendor: 'aircall', teamId: 42 },
    secret: { apiId: 'SECRETaircallid', apiToken: 'SECRETaircall-token' },
    isAvailabilityCall: (request) => /^\/v1\/users\/(availabilities|\d+\/availability)$/.test(request.url.pathname),
    availableBody: (available) => ({
      users: Array.from({ length: teamSize }, (_, index) => ({ id: index + 1, availability: index < available ? 'available' : 'in_call' })),
      meta: { count: teamSize, total: teamSize, current_page: 1, per_page: 50, next_page_link: null, previous_page_link: null },
    }),
    setup: (request) =>
      request.url.pathname === '/v1/teams/42'
        ? jsonReply({
            team: { id: 42, name: 'Closers', users: Array.from({ length: teamSize }, (_, index) => ({ id: index + 1, email: 'pii@example.test' })) },
          })
        : undefined,
  },
  calltools: {
    queue: { vendor: 'calltools', silo: 'east-2', queueId: 5457, availableStatusId: 20561 },
    secret: { apiKey: 'SECRETcalltools' },
    isAvailabilityCall: (request) => request.url.pathname === '/api/agentstatuses/',
    availableBody: (available) => ({
      count: available,
      next: null,
      previous: null,
      results: Array.from({ length: available }, (_, index) => ({
        id: index,
        app_user: `uuid-${index}`,
        full_name: 'PII Name',
        agent_status: 20561,
        ready: true,
      })),
    }),
  },
  twilio: {
    queue: { vendor: 'twilio', workspaceSid: `WS${'a'.repeat(32)}`, taskQueueSid: `WQ${'b'.repeat(32)}` },
    secret: { accountSid: twilioAccountSid, apiKeySid: `SK${'d'.repeat(32)}`, apiKeySecret: 'SECRETtwilio-key-secret' },
    isAvailabilityCall: (request) => request.url.pathname.endsWith('/RealTimeStatistics'),
    availableBody: (available) => ({
      account_sid: twilioAccountSid,
      total_available_workers: available,
      total_eligible_workers: teamSize,
      activity_statistics: [{ sid: 'WA1', friendly_name: 'PII Offline', workers: 0 }],
    }),
  },
  convoso: {
    queue: { vendor: 'convoso', queueId: 7, skills: ['spanish'] },
    secret: { authToken: 'SECRETconvoso-token' },
    isAvailabilityCall: (request) => request.url.pathname === '/v1/user-activity/search',
    availableBody: (available) => ({ success: true, data: { available_agents: available, logged_in_agents: teamSize } }),
  },
  vicidial: {
    queue: { vendor: 'vicidial', baseUrl: 'https://dialer.example.com', inGroup: 'SALESLINE' },
    secret: { apiUser: 'SECRETvicidial-user', apiPass: 'SECRETvicidial-pass' },
    isAvailabilityCall: (request) => request.url.pathname === '/vicidial/non_agent_api.php',
    availableBody: (available) =>
      `ingroups,total_calls,calls_waiting,agents_logged_in,agents_in_calls,agents_waiting,agents_paused,agents_in_dispo,agents_in_dial\nSALESLINE,2,0,${teamSize},${teamSize - available},${available},0,0,0\n`,
    asText: true,
  },
  // Through the real AWS SDK (restJson1 for Connect, awsQuery for STS), over the fake fetch; with
  // roleArn, so the assumed role's STS call is part of every check.
  'amazon-connect': {
    queue: {
      vendor: 'amazon-connect',
      region: 'us-east-1',
      instanceId: connectInstanceId,
      queueId: connectQueueId,
      roleArn: 'arn:aws:iam::210987654321:role/transfer-gate-reader',
    },
    secret: { externalId: 'SECRETconnect-external-id' },
    isAvailabilityCall: (request) => request.url.pathname.startsWith('/metrics/current/'),
    availableBody: (available) => ({
      MetricResults: [
        {
          Dimensions: { Queue: { Id: connectQueueId }, Channel: 'VOICE' },
          Collections: [
            { Metric: { Name: 'AGENTS_AVAILABLE', Unit: 'COUNT' }, Value: available },
            { Metric: { Name: 'AGENTS_ON_CONTACT', Unit: 'COUNT' }, Value: teamSize - available },
            { Metric: { Name: 'AGENTS_ONLINE', Unit: 'COUNT' }, Value: teamSize },
          ],
        },
      ],
      DataSnapshotTime: testNow / 1000,
      ApproximateTotalCount: 1,
    }),
    setup: (request) => (request.url.hostname === 'sts.us-east-1.amazonaws.com' ? assumeRoleReply() : undefined),
  },
};

type Reply = (budget: AbortController) => Response | Promise<Response>;
const failures: Array<[string, Reply, VendorErrorKind]> = [
  ['401', () => jsonReply({ message: 'Unauthorized' }, 401), 'auth'],
  ['403', () => jsonReply({ message: 'Forbidden' }, 403), 'auth'],
  ['404', () => jsonReply({ message: 'Not Found' }, 404), 'not_found'],
  ['429 with Retry-After', () => jsonReply({ message: 'slow down' }, 429, { 'Retry-After': '7' }), 'rate_limited'],
  ['500', () => jsonReply({ message: 'oops' }, 500), 'server'],
  ['a Cloudflare 530 page', () => textReply('<html>origin unreachable</html>', 530, 'text/html'), 'server'],
  ['an HTML 200', () => textReply('<!DOCTYPE html><title>Sign in</title>', 200, 'text/html'), 'bad_payload'],
  ['JSON of another shape', () => jsonReply({ unexpected: true }), 'bad_payload'],
  ['a body that is not JSON', () => textReply('{"cut', 200, 'application/json'), 'bad_payload'],
  ['a network failure', () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } })), 'network'],
  [
    'the time budget running out',
    (budget) => {
      budget.abort();
      return Promise.reject(abortError());
    },
    'timeout',
  ],
];

/** The vendor's documented answer with `available` free agents, as the vendor sends it. */
const availableReply = (contract: ContractCase, available: number) =>
  contract.asText ? textReply(String(contract.availableBody(available)), 200, 'text/html; charset=UTF-8') : jsonReply(contract.availableBody(available));

function harnessFor(vendor: VendorName, contract: ContractCase, availability: (request: RecordedRequest) => Response | Promise<Response>) {
  return adapterHarness(
    (deps: AdapterDeps): AnyVendorAdapter => vendorModule(vendor).createAdapter(deps),
    (request) => {
      if (contract.isAvailabilityCall(request)) return availability(request);
      return contract.setup?.(request) ?? jsonReply({ message: 'unexpected call in contract test' }, 418);
    },
  );
}

describe.each(vendorNames.map((vendor) => [vendor, cases[vendor]] as const))('%s adapter', (vendor, contract) => {
  const queue = queueConfigSchema.parse({ id: 'q', secret: 'tg/x', ...contract.queue });
  const secretValues = Object.values(contract.secret);

  it('maps the documented answer to the available count, with counts only', async () => {
    const harness = harnessFor(vendor, contract, () => availableReply(contract, 4));
    const availability = await harness.check(queue, contract.secret);
    expect(availability.available).toBe(4);
    expect(JSON.stringify(availability)).not.toMatch(/pii/i);
    for (const value of Object.values(availability)) expect(['number', 'object']).toContain(typeof value);
  });

  it('reports a real zero as zero', async () => {
    const harness = harnessFor(vendor, contract, () => availableReply(contract, 0));
    expect((await harness.check(queue, contract.secret)).available).toBe(0);
  });

  it('calls only the configured vendor host, always under the check signal', async () => {
    const harness = harnessFor(vendor, contract, () => availableReply(contract, 2));
    await harness.check(queue, contract.secret);
    expect(harness.fetch.calls.length).toBeGreaterThan(0);
    for (const call of harness.fetch.calls) {
      expect(call.url.protocol).toBe('https:');
      expect(call.signal).toBeDefined();
      expect(call.redirect).toBe('manual');
    }
  });

  it.each(failures)('turns %s into a typed error, never into 0 agents and never with a secret', async (_name, reply, kind) => {
    const budget = new AbortController();
    const harness = harnessFor(vendor, contract, () => reply(budget));
    const error = await vendorFailure(harness.check(queue, contract.secret, budget.signal), secretValues[0]!);
    expect(error.kind).toBe(kind);
    for (const value of secretValues) expect(`${error.message}${error.stack}`).not.toContain(value);
    if (kind === 'rate_limited') expect(error.retryAfterMs).toBe(7000);
  });

  it(`is registered for vendor "${vendor}"`, () => {
    expect(vendorModule(vendor).name).toBe(vendor);
    expect(vendorModule(vendor).createAdapter({ http: { requestJson: jest.fn(), requestText: jest.fn() } }).vendor).toBe(vendor);
  });
});
