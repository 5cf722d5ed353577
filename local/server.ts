/**
 * The local gate: a Secrets Manager stand-in, vendor simulators, and an HTTP server that turns
 * each request into the API Gateway event and calls the same exported handler as the deployed
 * API. One local gate per process: the handler keeps its runtime for the process's life, as a
 * Lambda container does.
 */
import { readFileSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { GateConfig } from '../shared/config/gate-config';
import { loadGateConfigFile } from '../shared/config/load-config';
import { ConfigError } from '../shared/errors';
import { type GatewayErrorAnswer, gatewayFailureAnswer, requestTooLargeAnswer, unknownRouteAnswer } from '../shared/api/gateway-errors';
import { lambdaContext, matchRoute, newRequestId, parseRequestTarget, toApiGatewayEvent, writeProxyResult } from './api-gateway-event';
import { answerClientError } from './client-errors';
import { type KnownKeyCheck, knownKeyCheck } from './known-key';
import { RequestBodyTooLargeError, announcesBody, bodyRefusal, readRequestBody } from './request-body';
import { useLocalAccessKey } from './access-key';
import { type SecretsManagerStandIn, startSecretsManagerStandIn } from './secrets-manager-stand-in';
import { startSimulatorsOnFreePorts } from './simulator-ports';
import { type LocalState, type LocalStateOptions, prepareLocalState } from './state';
import { startSimulatorsFor } from './simulators';
import { turnScheduler } from './turn-scheduler';
import type { VendorSimulator } from './simulators/simulator';
import { requireVendorSecrets } from './vendor-secrets';

export interface LocalGateOptions extends LocalStateOptions {
  configFile: string;
  secretsFile: string;
  /** 0 picks a free port. */
  port?: number;
  /** Start simulators for vendor URLs on loopback (default true). */
  simulators?: boolean;
  /** Start them on free ports and serve the config moved to them (the demo); default: the ports the config names. */
  simulatorsOnFreePorts?: boolean;
  /**
   * Refuse to start when a vendor secret the config names is missing from the secrets file or
   * misshapen (`npm start` does); default false, so tests can see what a request meets then.
   */
  requireVendorSecrets?: boolean;
  /** Requests started per event-loop turn (see turn-scheduler.ts); 0 starts each at once. */
  requestsPerTurn?: number;
  /** Marker in the simulators' fake agent names, e-mails and phones (leak tests). */
  personalDataMarker?: string;
}

export interface LocalGate {
  url: string;
  config: GateConfig;
  /** The config file served: `configFile`, or its copy moved to the simulators' free ports. */
  configFile: string;
  secretsManager: SecretsManagerStandIn;
  /** Where the state lives (an embedded dynalite by default; stopped by close()). */
  state: LocalState;
  /** The simulator behind each queue, by queue id. */
  simulators: ReadonlyMap<string, VendorSimulator>;
  close(): Promise<void>;
}

export function readSecretsFile(file: string, config: GateConfig): Record<string, unknown> {
  let secrets: unknown;
  try {
    secrets = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read the secrets file ${file}: ${(error as Error).message}`);
  }
  if (!secrets || typeof secrets !== 'object' || Array.isArray(secrets)) {
    throw new ConfigError(`${file} must be a JSON object mapping secret name to the secret's JSON value`);
  }
  if (!(config.callersSecret in secrets)) throw new ConfigError(`${file} has no "${config.callersSecret}" (the callers secret)`);
  return secrets as Record<string, unknown>;
}

/** Points the AWS SDK in this process at the stand-in, as Lambda's environment would point it at AWS. */
export function useSecretsManagerStandIn(secretsManager: SecretsManagerStandIn) {
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secretsManager.url;
  process.env.AWS_REGION ??= 'us-east-1';
  // The stand-ins answer only this key: it becomes the process's credentials, as a role's are in Lambda.
  useLocalAccessKey(secretsManager.accessKey);
}

/**
 * A target that is neither a path nor an absolute URL (`*`, `a:b`): the edge in front of API
 * Gateway refuses such a request with a 400 before any resource is matched.
 */
const badTargetAnswer: GatewayErrorAnswer = { statusCode: 400, code: 'invalid_request', message: 'malformed request target' };

/** The answers the stack configures as API Gateway gateway responses (infra/constructs/gateway-responses.ts). */
function gatewayAnswer(answer: GatewayErrorAnswer, defaultStatus: number) {
  return {
    statusCode: answer.statusCode ?? defaultStatus,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
    body: JSON.stringify({ error: answer.code, message: answer.message }),
  };
}

/** Measured with `npm run bench -- --connections 500` (bench/results.md): small enough to keep turns short. */
const defaultRequestsPerTurn = 8;

type HttpHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** Every request gets an answer, whatever its target: nothing here may throw past this function. */
async function answer(handler: HttpHandler, knownKey: KnownKeyCheck, request: IncomingMessage, response: ServerResponse) {
  const requestId = newRequestId();
  try {
    const target = parseRequestTarget(request.url ?? '/');
    if (!target) return writeProxyResult(response, gatewayAnswer(badTargetAnswer, 400), requestId);
    const route = matchRoute(request.method ?? 'GET', target.path);
    if (!route) return writeProxyResult(response, gatewayAnswer(unknownRouteAnswer, 404), requestId);
    const refusal = bodyRefusal(request, route.takesBody === true);
    if (refusal) return writeProxyResult(response, closing(gatewayAnswer(refusal, 400)), requestId);
    const event = toApiGatewayEvent(request, target, route, requestId);
    // The body only after the key: a request without a known key gets its 401 from the function, unread.
    if (route.takesBody && (await knownKey(event))) event.body = await readRequestBody(request);
    const result = await handler(event, lambdaContext('transfer-gate-http-local', requestId));
    writeProxyResult(response, announcesBody(request) && !request.readableEnded ? closing(result) : result, requestId);
  } catch (error) {
    if (response.headersSent) response.destroy();
    else if (error instanceof RequestBodyTooLargeError) writeProxyResult(response, closing(gatewayAnswer(requestTooLargeAnswer, 413)), requestId);
    // What the deployed API answers when the integration fails.
    else writeProxyResult(response, gatewayAnswer(gatewayFailureAnswer, 502), requestId);
  }
}

/** Ends the connection after the answer: Node would otherwise read an unread body to its end to reuse it. */
function closing(result: APIGatewayProxyResult): APIGatewayProxyResult {
  return { ...result, headers: { ...result.headers, Connection: 'close' } };
}

/** The simulators, and the config and file served: the given ones, or copies moved to the simulators' free ports. */
async function startSimulators(options: LocalGateOptions, config: GateConfig, secrets: Record<string, unknown>) {
  if (options.simulators === false) return { config, configFile: path.resolve(options.configFile), simulators: undefined, close: async () => undefined };
  if (options.simulatorsOnFreePorts) return startSimulatorsOnFreePorts(options.configFile, config, secrets, options.personalDataMarker);
  const simulators = await startSimulatorsFor(config, secrets, options);
  return { config, configFile: path.resolve(options.configFile), simulators, close: simulators.close };
}

/** Listens only once the state table is ACTIVE (prepareLocalState waits for it): no request is served before. */
export async function startLocalGate(options: LocalGateOptions): Promise<LocalGate> {
  const loaded = loadGateConfigFile(options.configFile);
  const secrets = readSecretsFile(options.secretsFile, loaded);
  if (options.requireVendorSecrets) requireVendorSecrets(loaded, secrets, options.secretsFile);
  const localState = await prepareLocalState(options);
  const secretsManager = await startSecretsManagerStandIn(secrets, { accessKey: localState.accessKey });
  useSecretsManagerStandIn(secretsManager);
  const { config, configFile, simulators, close: closeSimulators } = await startSimulators(options, loaded, secrets);
  process.env.GATE_CONFIG_FILE = configFile;
  const { handler } = await import('../functions/http/handler');
  const knownKey = knownKeyCheck((await import('../shared/runtime')).defaultRuntime);

  const schedule = turnScheduler(options.requestsPerTurn ?? defaultRequestsPerTurn);
  const server = createServer((request, response) => {
    schedule(() => void answer(handler, knownKey, request, response));
  });
  // Requests Node refuses before they reach the handler (an oversized header: 431) answer as JSON too.
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    configFile,
    secretsManager,
    state: localState.state,
    simulators: simulators?.byQueue ?? new Map(),
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await closeSimulators();
      await secretsManager.close();
      await localState.close();
    },
  };
}
