/**
 * Secrets stay secret: with sentinel strings as every credential, caller key and agent name,
 * drive every failure mode through the real local server, and assert that no sentinel appears
 * in any response (body or headers) or any log line.
 */
// Every log line on, before anything loads shared/logger (the route table the local server
// matches against carries the handlers, and with them the logger).
import '../support/verbose-logs';
import { failureModes } from '../../local/simulators/simulator';
import { callerEntry, freePorts, startTestGate, type TestGate } from '../support/local-gate';
import { availabilityEvent, proxyEvent } from '../support/api-gateway-event';
import { startSharedGates } from '../support/two-gates';
import { vendorNames } from '../../shared/vendors/registry';

const sentinel = (name: string) => `SENTINEL${name}x7Qz`;
// Twilio's SIDs must be hex (the schema checks), so these sentinels are SIDs of a recognisable shape.
const twilioAccountSid = 'AC5e471e1a1c5e471e1a1c5e471e1a1c01';
const twilioKeySid = 'SK5e471e1a1c5e471e1a1c5e471e1a1c02';
const personalDataMarker = 'PIISENTINEL';
const callerKey = sentinel('CallerKey');
const adminKey = sentinel('AdminKey');
const secrets = {
  'transfer-gate/callers': { callers: [callerEntry('leak-test', callerKey, ['*']), { ...callerEntry('leak-admin', adminKey, ['*']), admin: true }] },
  'tg/aloware': { apiToken: sentinel('AlowareToken') },
  'tg/aloware-rotated': { apiToken: sentinel('AlowareOldToken') },
  'tg/aloware-broken': { apiTokn: sentinel('AlowareTypo') },
  'tg/calltools': { apiKey: sentinel('CalltoolsKey') },
  'tg/kore': { clientId: sentinel('KoreClientId'), clientSecret: sentinel('KoreClientSecret-long-enough-for-hs256'), accountId: sentinel('KoreAccount') },
  'tg/vonage': { clientId: sentinel('VonageClientId'), clientSecret: sentinel('VonageClientSecret') },
  'tg/aircall': { apiId: sentinel('AircallApiId'), apiToken: sentinel('AircallApiToken') },
  // Amazon Connect on an assumed role: the external id, and the credentials STS (the simulator) hands back, which carry the marker.
  'tg/connect': { externalId: sentinel('ConnectExternalId') },
  'tg/twilio': { accountSid: twilioAccountSid, apiKeySid: twilioKeySid, apiKeySecret: sentinel('TwilioKeySecret') },
  // Both travel in the query string of every call: URLs must never reach a log line or an answer.
  'tg/convoso': { authToken: sentinel('ConvosoToken') },
  'tg/convoso-rotated': { authToken: sentinel('ConvosoOldToken') },
  'tg/vicidial': { apiUser: sentinel('VicidialUser'), apiPass: sentinel('VicidialPass') },
  // A wrong password: the simulator's bad-login line echoes user and password back, as VICIdial's does.
  'tg/vicidial-rotated': { apiUser: sentinel('VicidialUser'), apiPass: sentinel('VicidialOldPass') },
};
/** Each failure mode's copy of a secret name (a missing secret stays missing). */
const perMode = (secret: string, index: number) => (secret === 'tg/not-there' ? secret : `${secret}-m${index}`);
const secretsPerMode: Record<string, unknown> = {
  ...secrets,
  ...Object.fromEntries(failureModes.flatMap((_mode, index) => Object.entries(secrets).map(([name, value]) => [perMode(name, index), value]))),
};

type Port = number | undefined;
const connectIds = { region: 'us-east-1', instanceId: '0f8fad5b-d9cb-469f-a165-70867728950e', queueId: '457857dc-19eb-4eb9-b562-c90ca37de447' };
type Ports = { aloware: Port; calltools: Port; koreai: Port; vonage: Port; aircall: Port; twilio: Port; convoso: Port; vicidial: Port; connect: Port };
function baseQueues(at: (port: Port) => string, { aloware, calltools, koreai, vonage, aircall, twilio, convoso, vicidial, connect }: Ports) {
  return [
    { id: 'aloware', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, baseUrl: at(aloware) },
    { id: 'aloware-rotated', vendor: 'aloware', secret: 'tg/aloware-rotated', ringGroupId: 1, baseUrl: at(aloware) },
    { id: 'aloware-broken', vendor: 'aloware', secret: 'tg/aloware-broken', ringGroupId: 1, baseUrl: at(aloware) },
    { id: 'aloware-missing', vendor: 'aloware', secret: 'tg/not-there', ringGroupId: 1, baseUrl: at(aloware) },
    { id: 'calltools', vendor: 'calltools', secret: 'tg/calltools', queueId: 5457, baseUrl: at(calltools) },
    { id: 'koreai', vendor: 'koreai', secret: 'tg/kore', botId: 'st-123', queueIds: ['qu-1'], baseUrl: at(koreai) },
    { id: 'vonage', vendor: 'vonage', secret: 'tg/vonage', baseUrl: at(vonage), authUrl: at(vonage), queueGuids: ['457857dc-19eb-4eb9-b562-c90ca37de447'] },
    { id: 'aircall', vendor: 'aircall', secret: 'tg/aircall', teamId: 42, baseUrl: at(aircall) },
    { id: 'twilio', vendor: 'twilio', secret: 'tg/twilio', workspaceSid: `WS${'0'.repeat(32)}`, taskQueueSid: `WQ${'0'.repeat(32)}`, baseUrl: at(twilio) },
    { id: 'convoso', vendor: 'convoso', secret: 'tg/convoso', queueId: 12, campaignId: 34, skills: ['spanish'], baseUrl: at(convoso) },
    { id: 'convoso-rotated', vendor: 'convoso', secret: 'tg/convoso-rotated', queueId: 12, baseUrl: at(convoso) },
    // VICIdial queues keep answers at least 2 s (a config rule); each mode still has its own queue.
    { id: 'vicidial', vendor: 'vicidial', secret: 'tg/vicidial', inGroup: 'SALESLINE', baseUrl: at(vicidial), cacheTtlMs: 2000 },
    { id: 'vicidial-rotated', vendor: 'vicidial', secret: 'tg/vicidial-rotated', inGroup: 'SALESLINE', baseUrl: at(vicidial), cacheTtlMs: 2000 },
    {
      id: 'connect',
      vendor: 'amazon-connect',
      secret: 'tg/connect',
      roleArn: 'arn:aws:iam::210987654321:role/gate-reader',
      ...connectIds,
      endpoint: at(connect),
    },
  ];
}

const everySentinel = [
  ...[callerKey, adminKey, sentinel('WrongCallerKey'), personalDataMarker, twilioAccountSid, twilioKeySid],
  ...JSON.stringify(secrets).match(/SENTINEL\w+?x7Qz[-\w]*/g)!,
];

let gate: TestGate;
const output: string[] = [];
const seen: string[] = [];
const originalWrites = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };

beforeAll(async () => {
  for (const stream of ['stdout', 'stderr'] as const) {
    process[stream].write = ((chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
  }
  const [aloware, calltools, koreai, vonage, aircall, twilio, convoso, vicidial, connect] = await freePorts(9);
  const ports: Ports = { aloware, calltools, koreai, vonage, aircall, twilio, convoso, vicidial, connect };
  const at = (port: number | undefined) => `http://127.0.0.1:${port}`;
  gate = await startTestGate({
    personalDataMarker,
    secrets: secretsPerMode,
    config: {
      defaults: { cacheTtlMs: 0, timeoutMs: 300 },
      // A failed read is remembered (backoff) per queue, and Aircall queues on one secret share a read:
      // each failure mode gets its own copy of every queue, on its own secret names, so each mode reaches the vendor.
      queues: [
        baseQueues(at, ports)[0]!,
        { ...baseQueues(at, ports)[0]!, id: 'aloware-held', holdMs: 30_000, transferTo: '+15551230000' },
        ...failureModes.flatMap((_mode, index) =>
          baseQueues(at, ports).map((queue) => ({ ...queue, id: `${queue.id}-m${index}`, secret: perMode(queue.secret, index) })),
        ),
      ],
      // The route path (docs/callers/routes-and-destinations.md): every vendor's queue of a mode in one route, and a held route.
      routes: {
        ...Object.fromEntries(
          failureModes.map((_mode, index) => [`every-m${index}`, { queues: baseQueues(at, ports).map((queue) => `${queue.id}-m${index}`) }]),
        ),
        'held-route': { queues: ['aloware-held', 'aloware'] },
      },
    },
  });
});

afterAll(async () => {
  await gate?.close();
  process.stdout.write = originalWrites.stdout;
  process.stderr.write = originalWrites.stderr;
});

async function record(path: string, headers: Record<string, string> = {}) {
  const response = await gate.get(path, headers);
  seen.push(`${response.status} ${JSON.stringify([...response.headers])} ${response.text}`);
  return response;
}

/** A write route (DELETE, PUT), recorded like the GETs. */
async function recordWrite(method: 'PUT' | 'DELETE', path: string, headers: Record<string, string>, body?: unknown) {
  const response = await fetch(`${gate.url}${path}`, {
    method,
    headers: { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  seen.push(`${response.status} ${JSON.stringify([...response.headers])} ${await response.text()}`);
  return response;
}

const queues = [
  ...['aloware', 'aloware-rotated', 'aloware-broken', 'aloware-missing', 'calltools', 'koreai', 'vonage', 'aircall', 'twilio'],
  ...['convoso', 'convoso-rotated', 'vicidial', 'vicidial-rotated', 'connect'],
];

it('covers every registered vendor', () => {
  expect(new Set([...gate.config.queues.values()].map((queue) => queue.vendor))).toEqual(new Set(vendorNames));
});

it('leaks no sentinel through any answer or log line, whatever fails', async () => {
  const simulators = [...new Set(gate.simulators.values())];
  let connectHealthy: Awaited<ReturnType<typeof record>> | undefined;
  for (const [index, mode] of failureModes.entries()) {
    for (const simulator of simulators) simulator.setMode(mode, { slowMs: 1000, retryAfterSeconds: 0 });
    for (const queue of queues) {
      const answer = await record(`/v1/queues/${queue}-m${index}/availability`, { 'x-api-key': callerKey });
      // Amazon Connect through STS AssumeRole (the external id) and the assumed credentials.
      if (queue === 'connect' && mode === 'ok') connectHealthy = answer;
      await record(`/v1/queues/${queue}-m${index}/availability?format=count&api_key=${callerKey}`);
    }
    await record(`/v1/routes/every-m${index}/availability`, { 'x-api-key': callerKey });
  }
  for (const simulator of simulators) simulator.setMode('ok');
  await record('/v1/queues/aloware/availability', { authorization: `Bearer ${sentinel('WrongCallerKey')}` });
  await record(`/v1/queues/aloware/availability?api_key=${sentinel('WrongCallerKey')}`);
  await record('/v1/queues/aloware/availability', { authorization: `Basic ${Buffer.from(`x:${sentinel('WrongCallerKey')}`).toString('base64')}` });
  await record('/v1/queues/nope/availability', { 'x-api-key': callerKey });
  await record('/v1/queues/aloware/availability?format=xml', { 'x-api-key': callerKey });
  const healthy = await record('/v1/queues/aloware/availability', { authorization: `Bearer ${callerKey}` });
  // The hold path: placed, reused, refused, released (each an audit line), then a 404.
  const held = await record('/v1/queues/aloware-held/availability?callerId=%2B15550001', { 'x-api-key': callerKey });
  await record(`/v1/queues/aloware-held/availability?format=count&callerId=%2B15550001&api_key=${callerKey}`);
  await record('/v1/queues/aloware-held/availability', { 'x-api-key': callerKey, 'x-caller-id': 'sip:lead@example.com' });
  for (let release = 0; release < 2; release += 1) await recordWrite('DELETE', '/v1/queues/aloware-held/holds/%2B15550001', { 'x-api-key': callerKey });
  // The route's hold path: placed on the chosen member, then released through the route (204, then 404).
  const routed = await record('/v1/routes/held-route/availability?callerId=%2B15550009', { 'x-api-key': callerKey });
  for (let release = 0; release < 2; release += 1) await recordWrite('DELETE', '/v1/routes/held-route/holds/%2B15550009', { 'x-api-key': callerKey });
  // The override path: set (logged with the admin's name), read, refused to a non-admin, a bad body, ended, then a 404.
  const override = `/v1/queues/aloware/override`;
  const set = await recordWrite('PUT', override, { 'x-api-key': adminKey }, { state: 'open', note: 'leak test' });
  await record(override, { 'x-api-key': adminKey });
  const refused = await recordWrite('PUT', override, { 'x-api-key': callerKey }, { state: 'closed' });
  await recordWrite('PUT', override, { 'x-api-key': adminKey }, { state: 'shut', untill: 'never' });
  for (let end = 0; end < 2; end += 1) await recordWrite('DELETE', override, { 'x-api-key': adminKey });

  // The test can fail: answers and logs were really produced and captured.
  expect(healthy.json).toMatchObject({ canTransfer: true, availableAgents: 3 });
  expect(connectHealthy?.json).toMatchObject({ canTransfer: true, availableAgents: 3, vendor: 'amazon-connect' });
  const logs = output.join('');
  expect(logs).toContain('"caller":"leak-test"');
  expect(held.json).toMatchObject({ hold: { callerId: '+15550001' } });
  expect(routed.json).toMatchObject({ route: 'held-route', queue: 'aloware-held', transferTo: '+15551230000', hold: { callerId: '+15550009' } });
  expect(seen.filter((answer) => answer.includes('"route":"every-m') && answer.includes('"tried"'))).toHaveLength(failureModes.length);
  for (const message of ['hold placed', 'hold reused', 'hold released']) expect(logs).toContain(`"message":"${message}"`);
  expect(seen.some((answer) => answer.startsWith('404') && answer.includes('hold_not_found'))).toBe(true);
  expect([set.status, refused.status]).toEqual([200, 403]);
  for (const message of ['override set', 'override deleted']) expect(logs).toContain(`"message":"${message}"`);
  expect(seen.some((answer) => answer.startsWith('404') && answer.includes('override_not_found'))).toBe(true);
  expect(logs).toMatch(/"vendorError":"(auth|server|timeout|bad_payload)"/);
  expect(logs).toContain('tg/aloware-broken'); // the secret's name is told, its values are not
  // The vendors whose credentials travel in URLs were really read, and really refused (mode "ok" is index 0).
  const answerOf = (queue: string) => seen.find((answer) => answer.includes(`"queue":"${queue}"`)) ?? '';
  for (const queue of ['twilio-m0', 'convoso-m0', 'vicidial-m0']) expect(answerOf(queue)).toContain('"canTransfer":true');
  for (const queue of ['convoso-rotated-m0', 'vicidial-rotated-m0']) expect(answerOf(queue)).toContain('"vendorError":"auth"');
  expect(seen.length).toBeGreaterThan(failureModes.length * queues.length);

  const everything = `${seen.join('\n')}\n${logs}`.toLowerCase();
  for (const value of everySentinel) expect({ value, found: everything.includes(value.toLowerCase()) }).toEqual({ value, found: false });
});

it('leaks no sentinel while the state table stops answering (503s, state_unavailable, the unavailable log line)', async () => {
  const [port] = await freePorts(1);
  // In-process runtimes on a table behind a proxy the test pauses (the local server above keeps its state in memory).
  const gates = await startSharedGates({
    gates: 1,
    callerKey,
    pausable: true,
    storeBudgetMs: 300,
    circuitOpenMs: 1_000,
    config: { queues: [{ id: 'held', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, baseUrl: `http://127.0.0.1:${port}`, holdMs: 30_000 }] },
    secrets,
  });
  const before = output.length;
  const outage: string[] = [];
  const send = async (key: string, method: string, path: string, body?: unknown, query?: Record<string, string>) => {
    const event = path.endsWith('/availability')
      ? availabilityEvent('held', { headers: { 'x-api-key': key }, ...(query && { query }) })
      : proxyEvent(
          path.includes('/holds/') ? '/v1/queues/{id}/holds/{callerId}' : '/v1/queues/{id}/override',
          path,
          path.includes('/holds/') ? { id: 'held', callerId: '+15550001' } : { id: 'held' },
          { method, headers: { 'x-api-key': key } },
        );
    if (body !== undefined) event.body = JSON.stringify(body);
    const answer = await gates.send(0, event);
    outage.push(`${answer.status} ${JSON.stringify(answer.headers)} ${JSON.stringify(answer.json)}`);
    return answer;
  };
  try {
    expect((await send(callerKey, 'GET', '/v1/queues/held/availability', undefined, { callerId: '+15550001' })).json.hold).toBeDefined();
    await send(adminKey, 'GET', '/v1/queues/held/override');
    gates.proxy!.paused = true;
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    expect((await send(callerKey, 'GET', '/v1/queues/held/availability', undefined, { callerId: '+15550002' })).json.reason).toBe('state_unavailable');
    await send(callerKey, 'GET', '/v1/queues/held/availability', undefined, { format: 'count' });
    expect((await send(adminKey, 'PUT', '/v1/queues/held/override', { state: 'closed', note: 'leak test' })).status).toBe(503);
    await send(adminKey, 'GET', '/v1/queues/held/override');
    expect((await send(adminKey, 'DELETE', '/v1/queues/held/override')).status).toBe(503);
    expect((await send(callerKey, 'DELETE', '/v1/queues/held/holds/%2B15550001')).status).toBe(503);
  } finally {
    await gates.close();
  }
  const logs = output.slice(before).join('');
  expect(logs).toContain('"state store unavailable"');
  expect(outage.filter((answer) => answer.includes('"state_unavailable"')).length).toBeGreaterThanOrEqual(4);
  const everything = `${outage.join('\n')}\n${logs}`.toLowerCase();
  for (const value of everySentinel) expect({ value, found: everything.includes(value.toLowerCase()) }).toEqual({ value, found: false });
}, 20_000);
