/**
 * The artifacts that would be deployed answer real-shaped events: the stack is synthesized with
 * bundling (esbuild, the config copied in), and the files CDK staged are run in a child process
 * against the local Secrets Manager stand-in and the Aloware simulator. Nothing from the source
 * tree is loaded by the functions: only index.js, gate.config.json and (HTTP) openapi.json from
 * the asset directory.
 * The template names the state table in GATE_STATE_TABLE; here that name is a table on an
 * in-process dynalite (loopback), so a bundle that uses the table stays offline and is tested.
 */
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { type EmbeddedDynamo, ensureStateTable, localDynamoClient, startEmbeddedDynamo } from '../../local/dynamodb';
import { startSecretsManagerStandIn, type SecretsManagerStandIn } from '../../local/secrets-manager-stand-in';
import { startAlowareSimulator } from '../../local/simulators/aloware-simulator';
import type { VendorSimulator } from '../../local/simulators/simulator';
import { hashKey } from '../../shared/callers';
import { availabilityEvent, healthEvent, proxyEvent } from '../support/api-gateway-event';
import { type BundledLambda, bundleDirectory, startBundledLambda } from './support/bundled-lambda';
import { contactFlowEvent, customerNumber } from './support/contact-flow-event';
import { type SynthResult, synthGate, tempDir, writeConfigFile } from './support/synth-gate';
import { logicalId, resource } from './support/template-values';

const callerKey = 'SENTINEL-CALLER-KEY-51f2';
const alowareToken = 'SENTINEL-ALOWARE-TOKEN-90ab';
const personalDataMarker = 'Sentinelperson';
const secretValues = {
  'transfer-gate/callers': { callers: [{ name: 'ivr', keySha256: hashKey(callerKey), queues: ['*'] }] },
  'tg/aloware': { apiToken: alowareToken },
};

let simulator: VendorSimulator;
let secrets: SecretsManagerStandIn;
let dynamo: EmbeddedDynamo;
/**
 * What Lambda resolves the template's `{ Ref: <table> }` to: here a table on the local dynalite,
 * one per bundle, so that one bundle's fresh reading is not another's cached answer.
 */
const stateTableName = 'transfer-gate-bundles-state';
const tableOf = (name: string) => `${stateTableName}-${name}`;
let synth: SynthResult;
let configText: string;
const committedOpenapi = readFileSync(path.join(__dirname, '..', '..', 'openapi.json'), 'utf8');
const running: BundledLambda[] = [];

beforeAll(async () => {
  simulator = await startAlowareSimulator({ apiToken: alowareToken, ringGroupIds: ['1'], agents: { available: 3, busy: 1 }, personalDataMarker });
  secrets = await startSecretsManagerStandIn(secretValues, { accessKey: { accessKeyId: 'AKIDLOCALSTANDIN', secretAccessKey: 'local-stand-in-secret' } });
  dynamo = await startEmbeddedDynamo();
  expect(await ensureStateTable(dynamo.endpoint, stateTableName)).toBe('created');
  // The config is bundled at synth time, so it can name the simulator only once it is listening.
  const configFile = writeConfigFile(tempDir(), {
    queues: [
      { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, baseUrl: simulator.url },
      { id: 'retired', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 99, baseUrl: simulator.url },
    ],
  });
  configText = readFileSync(configFile, 'utf8');
  synth = synthGate({ configFile, bundle: true });
}, 60_000);

afterAll(async () => {
  await Promise.all(running.map((lambda) => lambda.stop()));
  await Promise.all([simulator?.close(), secrets?.close(), dynamo?.close()]);
});

async function start(name: 'httpFunction' | 'connectFunction' | 'checkFunction', extraEnv: Record<string, string> = {}): Promise<BundledLambda> {
  await ensureStateTable(dynamo.endpoint, tableOf(name));
  const lambda = await startBundledLambda(synth, synth.stack[name].function, {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
    // The template's value is a Ref (see the test below); the local stand-in for what it resolves to.
    GATE_STATE_TABLE: tableOf(name),
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ACCESS_KEY_ID: 'AKIDLOCALSTANDIN',
    AWS_SECRET_ACCESS_KEY: 'local-stand-in-secret',
    ...extraEnv,
  });
  running.push(lambda);
  return lambda;
}

/** Every line the function logged as JSON (Powertools and EMF), ignoring the runtime's own warnings. */
function jsonLines(lambda: BundledLambda): Array<Record<string, any>> {
  return lambda
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

function expectNothingSecretLogged(lambda: BundledLambda) {
  for (const secret of [callerKey, alowareToken, personalDataMarker, customerNumber]) expect(lambda.output()).not.toContain(secret);
}

test.each(['httpFunction', 'connectFunction', 'checkFunction'] as const)(
  "%s gets the stack's state table in GATE_STATE_TABLE (here stood in for by the local one)",
  (name) => {
    const variables = resource(synth.template, synth.stack[name].function).Properties.Environment.Variables;
    expect(variables.GATE_STATE_TABLE).toEqual({ Ref: logicalId(synth.stack.stateTable.table) });
  },
);

test.each([
  ['httpFunction', ['console.css', 'console.html', 'console.js', 'console.svg', 'gate.config.json', 'index.js', 'index.js.map', 'openapi.json']],
  ['connectFunction', ['gate.config.json', 'index.js', 'index.js.map']],
  ['checkFunction', ['gate.config.json', 'index.js', 'index.js.map']],
] as const)('%s is bundled as index.js, its source map and the validated config (and openapi.json and the console for the API)', (name, files) => {
  const directory = bundleDirectory(synth, synth.stack[name].function);
  expect(readdirSync(directory).sort()).toEqual(files);
  expect(readFileSync(path.join(directory, 'gate.config.json'), 'utf8')).toBe(configText);
  expect(readFileSync(path.join(directory, 'index.js'), 'utf8')).toMatch(/\/\/# sourceMappingURL=index\.js\.map\s*$/);
});

test.each(['httpFunction', 'connectFunction', 'checkFunction'] as const)(
  '%s exports what the nodejs24.x runtime accepts: an async handler of at most two parameters, using no callback context',
  async (name) => {
    const lambda = await start(name);
    expect(lambda.handlerShape).toEqual({ parameters: expect.any(Number), async: true });
    expect(lambda.handlerShape.parameters).toBeLessThan(3);
    // What Node.js 24's runtime removed from the context; nothing in the bundle may rely on it.
    const code = readFileSync(path.join(bundleDirectory(synth, synth.stack[name].function), 'index.js'), 'utf8');
    expect(code).not.toMatch(/callbackWaitsForEmptyEventLoop|context\.(succeed|done|fail)\(/);
  },
);

test.each(['httpFunction', 'connectFunction', 'checkFunction'] as const)('%s carries environment credentials instead of the SDK default chain', (name) => {
  const { sources } = JSON.parse(readFileSync(path.join(bundleDirectory(synth, synth.stack[name].function), 'index.js.map'), 'utf8')) as { sources: string[] };
  expect(
    sources.filter((source) => /credential-provider-(node|sso|ini|process|web-identity|login)|nested-clients|credential-provider-imds/.test(source)),
  ).toEqual([]);
  expect(sources.some((source) => source.endsWith('shared/aws-env-credentials.ts'))).toBe(true);
  expect(sources.some((source) => source.includes('credential-provider-env'))).toBe(true);
  // The config's JSON Schema is written by `npm run config-schema`; no function builds it.
  expect(sources.filter((source) => source.endsWith('shared/config/json-schema.ts'))).toEqual([]);
});

test.each(['httpFunction', 'connectFunction', 'checkFunction'] as const)(
  '%s carries no event-stream serde: the AWS calls it makes stream no events',
  (name) => {
    const { sources } = JSON.parse(readFileSync(path.join(bundleDirectory(synth, synth.stack[name].function), 'index.js.map'), 'utf8')) as {
      sources: string[];
    };
    expect(sources.filter((source) => source.includes('/event-streams/'))).toEqual([]);
    expect(sources.some((source) => source.endsWith('shared/aws-no-event-streams.ts'))).toBe(true);
  },
);

describe('the HTTP bundle, invoked with API Gateway REST proxy events', () => {
  let http: BundledLambda;
  beforeAll(async () => {
    http = await start('httpFunction');
  });
  afterAll(() => expectNothingSecretLogged(http));

  test('GET /v1/health answers ok without a key', async () => {
    const response = await http.invoke(healthEvent());
    expect(response).toMatchObject({ statusCode: 200, headers: { 'Cache-Control': 'no-store' } });
    expect(JSON.parse(response.body)).toEqual({ status: 'ok' });
  });

  test('GET /v1/openapi.json answers the committed document, read from openapi.json beside the bundle', async () => {
    const directory = bundleDirectory(synth, synth.stack.httpFunction.function);
    expect(readFileSync(path.join(directory, 'openapi.json'), 'utf8')).toBe(committedOpenapi);
    // The document is a file of the asset, not code: no stretch of it is in index.js.
    expect(readFileSync(path.join(directory, 'index.js'), 'utf8')).not.toContain(JSON.stringify(JSON.parse(committedOpenapi).components));
    for (let round = 0; round < 2; round += 1) {
      const response = await http.invoke(proxyEvent('/v1/openapi.json', '/v1/openapi.json', null));
      expect(response).toEqual({
        statusCode: 200,
        headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
        body: JSON.stringify(JSON.parse(committedOpenapi)),
      });
    }
  });

  test("GET /console and its files are read beside the bundle, with the console's headers, and are no part of index.js", async () => {
    const directory = bundleDirectory(synth, synth.stack.httpFunction.function);
    const script = readFileSync(path.join(__dirname, '..', '..', 'console', 'console.js'), 'utf8');
    expect(readFileSync(path.join(directory, 'console.js'), 'utf8')).toBe(script);
    expect(readFileSync(path.join(directory, 'index.js'), 'utf8')).not.toContain('transfer-gate.adminKey');
    const page = await http.invoke(proxyEvent('/console', '/console', null));
    expect(page).toMatchObject({
      statusCode: 200,
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' },
    });
    expect(page.headers['Content-Security-Policy']).toMatch(/^default-src 'self'/);
    expect((await http.invoke(proxyEvent('/console/app.js', '/console/app.js', null))).body).toBe(script);
  });

  test('the document served is the file beside the bundle: a copy of the asset with another openapi.json serves that one', async () => {
    const copy = path.join(tempDir(), 'asset');
    cpSync(bundleDirectory(synth, synth.stack.httpFunction.function), copy, { recursive: true });
    writeFileSync(path.join(copy, 'openapi.json'), JSON.stringify({ openapi: '3.1.0', info: { title: 'the copy beside the bundle' } }, null, 2));
    const copied = await start('httpFunction', { LAMBDA_TASK_ROOT: copy });
    const response = await copied.invoke(proxyEvent('/v1/openapi.json', '/v1/openapi.json', null));
    expect(JSON.parse(response.body)).toEqual({ openapi: '3.1.0', info: { title: 'the copy beside the bundle' } });
  });

  test('a caller key gets the live answer from the vendor, secrets read from Secrets Manager', async () => {
    const response = await http.invoke(availabilityEvent('support', { headers: { 'x-api-key': callerKey } }));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({
      queue: 'support',
      canTransfer: true,
      reason: 'agents_available',
      availableAgents: 3,
      vendor: 'aloware',
      source: 'live',
    });
    expect(secrets.reads('tg/aloware')).toBeGreaterThan(0);
    expect(secrets.reads('transfer-gate/callers')).toBeGreaterThan(0);
    // The reading went to the table GATE_STATE_TABLE names, where every container finds it.
    const client = localDynamoClient(dynamo.endpoint);
    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableOf('httpFunction'), Key: { pk: { S: 'read#queue:support' } }, ConsistentRead: true }),
    );
    client.destroy();
    expect(Item).toBeDefined();
  });

  test('Basic auth with ?format=text answers true as text', async () => {
    const basic = `Basic ${Buffer.from(`x:${callerKey}`).toString('base64')}`;
    const response = await http.invoke(availabilityEvent('support', { headers: { Authorization: basic }, query: { format: 'text' } }));
    expect(response).toMatchObject({ statusCode: 200, body: 'true' });
  });

  test('no key is 401, an unknown queue 404, a vendor failure a vendor_error answer', async () => {
    expect((await http.invoke(availabilityEvent('support'))).statusCode).toBe(401);
    expect((await http.invoke(availabilityEvent('nope', { headers: { 'x-api-key': callerKey } }))).statusCode).toBe(404);
    const failed = await http.invoke(availabilityEvent('retired', { headers: { 'x-api-key': callerKey } }));
    expect(JSON.parse(failed.body)).toMatchObject({ canTransfer: false, reason: 'vendor_error', availableAgents: null, vendorError: 'not_found' });
  });

  test('logs structured lines that name the caller and the queue', () => {
    const answers = jsonLines(http).filter((line) => line.message === 'availability');
    expect(answers.length).toBeGreaterThan(0);
    for (const line of answers) expect(line).toMatchObject({ level: 'INFO', service: 'transfer-gate', caller: 'ivr', queue: expect.any(String) });
  });
});

describe('the Connect bundle, invoked with ContactFlowEvents', () => {
  let connect: BundledLambda;
  beforeAll(async () => {
    connect = await start('connectFunction');
  });
  afterAll(() => expectNothingSecretLogged(connect));

  test('answers a flat map of strings', async () => {
    const answer = await connect.invoke(contactFlowEvent({ queue: 'support' }));
    expect(answer).toMatchObject({ queue: 'support', canTransfer: 'true', availableAgents: '3', reason: 'agents_available' });
    for (const value of Object.values(answer)) expect(typeof value).toBe('string');
  });

  test('a vendor failure is canTransfer "false" with availableAgents "", never "0"', async () => {
    expect(await connect.invoke(contactFlowEvent({ queue: 'retired' }))).toMatchObject({ canTransfer: 'false', availableAgents: '', vendorError: 'not_found' });
  });

  test('a missing or unknown queue parameter is a clear answer, not an error', async () => {
    expect(await connect.invoke(contactFlowEvent({}))).toMatchObject({ canTransfer: 'false', reason: 'invalid_request' });
    expect(await connect.invoke(contactFlowEvent({ queue: 'nope' }))).toMatchObject({ canTransfer: 'false', reason: 'queue_not_found' });
  });

  test('logs name Amazon Connect as the caller, with the contact id, never the customer number', () => {
    const answers = jsonLines(connect).filter((line) => line.message === 'availability');
    expect(answers[0]).toMatchObject({ caller: 'amazon-connect', queue: 'support', contactId: '4a573372-1f28-4e26-b97b-2a6b1c9e0d11' });
  });
});

describe('the scheduled check bundle, invoked as EventBridge Scheduler does', () => {
  test('checks every queue and publishes EMF metrics per queue', async () => {
    const check = await start('checkFunction');
    const summary = await check.invoke({ source: 'transfer-gate.scheduled-check' });
    expect(summary).toEqual({ queues: 2, canTransfer: 1, vendorErrors: 1, failures: 0 });
    const emf = jsonLines(check).filter((line) => line._aws);
    const support = emf.find((line) => line.queue === 'support' && line.AvailableAgents !== undefined);
    expect(support).toMatchObject({ service: 'transfer-gate', AvailableAgents: 3, CanTransfer: 1, VendorErrors: 0, VendorLatency: expect.any(Number) });
    expect(support!._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'TransferGate', Dimensions: [['service', 'queue']] });
    expect(emf.find((line) => line.queue === 'retired' && line.kind === 'not_found')).toMatchObject({ VendorErrors: 1 });
    expectNothingSecretLogged(check);
  });
});
