/**
 * Starts a simulator for every vendor endpoint the config points at loopback, with the
 * credentials from that queue's secret. Adding a vendor: one entry in `simulatorsByVendor`.
 */
import { loopbackHosts } from '../../shared/config/fields';
import type { GateConfig, GateQueue } from '../../shared/config/gate-config';
import { type SecretOf, type VendorName, vendorModule } from '../../shared/vendors/registry';
import { startAircallSimulator } from './aircall-simulator';
import { startAlowareSimulator } from './aloware-simulator';
import { startAmazonConnectSimulator } from './amazon-connect-simulator';
import { connectQueueIdOf } from '../../shared/vendors/amazon-connect-ids';
import { startCalltoolsSimulator } from './calltools-simulator';
import { startConvosoSimulator } from './convoso-simulator';
import { startKoreaiSimulator } from './koreai-simulator';
import type { SimulatorOptions, VendorSimulator } from './simulator';
import { startTwilioSimulator } from './twilio-simulator';
import { startVicidialSimulator } from './vicidial-simulator';
import { startVonageSimulator } from './vonage-simulator';

type GateQueueOf<V extends VendorName> = Extract<GateQueue, { vendor: V }>;
type SimulatorFactory<V extends VendorName> = (queues: GateQueueOf<V>[], secret: SecretOf<V>, options: SimulatorOptions) => Promise<VendorSimulator>;

/** Kept apart from shared/ so no Lambda bundle carries a simulator; a vendor missing here does not compile. */
const simulatorsByVendor: { readonly [V in VendorName]: SimulatorFactory<V> } = {
  aloware: (queues, secret, options) =>
    startAlowareSimulator({ ...options, apiToken: secret.apiToken, ringGroupIds: queues.map((queue) => queue.ringGroupId) }),
  koreai: (queues, secret, options) =>
    startKoreaiSimulator({
      ...options,
      clientId: secret.clientId,
      clientSecret: secret.clientSecret,
      accountId: secret.accountId,
      botIds: queues.map((queue) => queue.botId),
    }),
  calltools: (queues, secret, options) =>
    startCalltoolsSimulator({
      ...options,
      apiKey: secret.apiKey,
      queueIds: queues.map((queue) => queue.queueId),
      availableStatusId: queues.find((queue) => queue.availableStatusId)?.availableStatusId,
    }),
  vonage: (_queues, secret, options) => startVonageSimulator({ ...options, clientId: secret.clientId, clientSecret: secret.clientSecret }),
  aircall: (queues, secret, options) =>
    startAircallSimulator({ ...options, apiId: secret.apiId, apiToken: secret.apiToken, teamIds: queues.flatMap((queue) => queue.teamId ?? []) }),
  twilio: (queues, secret, options) =>
    startTwilioSimulator({ ...options, secret, queues: queues.map((queue) => `${queue.workspaceSid}/${queue.taskQueueSid}`) }),
  convoso: (queues, secret, options) =>
    startConvosoSimulator({
      ...options,
      authToken: secret.authToken,
      queueIds: queues.flatMap((queue) => queue.queueId ?? []),
      campaignIds: queues.flatMap((queue) => queue.campaignId ?? []),
    }),
  vicidial: (_queues, secret, options) => startVicidialSimulator({ ...options, apiUser: secret.apiUser, apiPass: secret.apiPass }),
  'amazon-connect': (queues, secret, options) => {
    const instances = new Map<string, string[]>();
    for (const queue of queues) instances.set(queue.instanceId, [...(instances.get(queue.instanceId) ?? []), connectQueueIdOf(queue.queueId)]);
    const roleArns = queues.flatMap((queue) => queue.roleArn ?? []);
    return startAmazonConnectSimulator({
      ...options,
      instances,
      ...(secret && roleArns.length && { assumeRole: { externalId: secret.externalId, roleArns } }),
    });
  },
};

/** Starts `vendor`'s simulator for its queues, with the secret parsed by the vendor's own schema. */
function startSimulator<V extends VendorName>(vendor: V, queues: GateQueue[], secretJson: unknown, options: SimulatorOptions): Promise<VendorSimulator> {
  const ofVendor = queues.filter((queue): queue is GateQueueOf<V> => queue.vendor === vendor);
  const parsed = vendorModule(vendor).secretSchema.safeParse(secretJson);
  // Field names only: the values are credentials.
  if (!parsed.success) throw new Error(`the ${vendor} simulator's secret lacks ${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')}`);
  const secret = parsed.data;
  const factory: SimulatorFactory<V> = simulatorsByVendor[vendor];
  return factory(ofVendor, secret, options);
}

/** The loopback port a queue's vendor calls go to, if they go to loopback at all. */
export function loopbackPort(queue: GateQueue): number | undefined {
  // Amazon Connect's SDK client is pointed at a simulator by `endpoint`; the HTTP vendors by `baseUrl`.
  const baseUrl = 'baseUrl' in queue ? queue.baseUrl : 'endpoint' in queue ? queue.endpoint : undefined;
  if (!baseUrl) return undefined;
  const url = new URL(baseUrl);
  if (!loopbackHosts.has(url.hostname)) return undefined;
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80));
}

export interface StartSimulatorsOptions {
  personalDataMarker?: string;
  /**
   * Listen on free ports instead of the ones the config names (the demo: docs/operators/running-locally.md);
   * `ports` then maps each configured port to the one listening.
   */
  freePorts?: boolean;
}

/**
 * One simulator per (vendor, port), however many vendors the config uses; keyed by queue id so
 * tests can reach each queue's vendor. `ports` maps each configured loopback port to the port its
 * simulator listens on (the same unless `freePorts`).
 */
export async function startSimulatorsFor(config: GateConfig, secrets: Record<string, unknown>, options: StartSimulatorsOptions = {}) {
  const groups = new Map<number, GateQueue[]>();
  for (const queue of config.queues.values()) {
    const port = loopbackPort(queue);
    if (port === undefined) continue;
    const group = groups.get(port) ?? [];
    if (group[0] && group[0].vendor !== queue.vendor) {
      throw new Error(`queues "${group[0].id}" (${group[0].vendor}) and "${queue.id}" (${queue.vendor}) use the same loopback port ${port}`);
    }
    groups.set(port, [...group, queue]);
  }
  const byQueue = new Map<string, VendorSimulator>();
  const ports = new Map<number, number>();
  const started: VendorSimulator[] = [];
  try {
    for (const [port, queues] of groups) {
      // An Amazon Connect queue on the function's own role names no secret.
      const secretName = queues[0]!.secret;
      const secret = secretName === undefined ? undefined : secrets[secretName];
      if (secretName !== undefined && (!secret || typeof secret !== 'object'))
        throw new Error(`no secret "${secretName}" in the secrets file for the ${queues[0]!.vendor} simulator`);
      const listenOn = options.freePorts ? 0 : port;
      const simulator = await startSimulator(queues[0]!.vendor, queues, secret, { port: listenOn, personalDataMarker: options.personalDataMarker });
      started.push(simulator);
      ports.set(port, simulator.port);
      for (const queue of queues) byQueue.set(queue.id, simulator);
    }
  } catch (error) {
    await Promise.all(started.map((simulator) => simulator.close()));
    throw error;
  }
  return { byQueue, all: started, ports, close: () => Promise.all(started.map((simulator) => simulator.close())).then(() => undefined) };
}
