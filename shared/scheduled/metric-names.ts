/**
 * The scheduled check's CloudWatch metrics (EMF): one list shared by the function that emits them
 * and the dashboard and alarms that read them, so the two cannot drift apart.
 */

export const metricsNamespace = 'TransferGate';

/** Powertools adds this as the `service` dimension of every metric. */
export const metricsServiceName = 'transfer-gate';

export const queueMetricNames = {
  /** Agents free now, as the vendor reported them (absent when the vendor could not be read). */
  availableAgents: 'AvailableAgents',
  /** 1 when the gate would let a transfer through, else 0. */
  canTransfer: 'CanTransfer',
  /** How long one vendor read took, token and secret fetches included, in ms. */
  vendorLatency: 'VendorLatency',
  /** 1 per failed vendor read (0 per good one), per queue; also per queue and `kind`. */
  vendorErrors: 'VendorErrors',
  /** 1 when the queue is closed by its schedule or an override (no vendor was called), else 0. */
  closed: 'Closed',
} as const;

export const runMetricNames = {
  /** Queues checked in one run of the scheduled check. */
  queuesChecked: 'QueuesChecked',
  /** Queue checks that failed inside the gate itself (not vendor errors). */
  checkFailures: 'CheckFailures',
} as const;

export const metricDimensions = { service: 'service', queue: 'queue', kind: 'kind' } as const;
