/** The gate the benchmarks run against: a cached Aloware queue and an always-live CallTools queue, on simulators. */
import { callerEntry, freePorts, startTestGate } from '../test/support/local-gate';

export const benchKey = 'bench-key-0123456789';

export async function startBenchGate() {
  const [aloware, calltools] = await freePorts(2);
  return startTestGate({
    config: {
      queues: [
        { id: 'cached', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, baseUrl: `http://127.0.0.1:${aloware}`, cacheTtlMs: 60_000 },
        { id: 'live', vendor: 'calltools', secret: 'tg/calltools', queueId: 5457, baseUrl: `http://127.0.0.1:${calltools}`, cacheTtlMs: 0 },
      ],
    },
    secrets: {
      'transfer-gate/callers': { callers: [callerEntry('bench', benchKey, ['*'])] },
      'tg/aloware': { apiToken: 'bench-token' },
      'tg/calltools': { apiKey: 'bench-key' },
    },
  });
}
