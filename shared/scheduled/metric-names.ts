/**
 * The gate's CloudWatch metrics (EMF): the scheduled check's and the API's traffic, one list
 * shared by the functions that emit them and the dashboard and alarms that read them, so the two
 * cannot drift apart.
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

/**
 * Per route (docs/callers/routes-and-destinations.md), from its members' checks in the same run
 * (no vendor call of its own), in addition to the queue metrics above.
 */
export const routeMetricNames = {
  /** Members that could take a call now (their own answer is yes). */
  membersAvailable: 'RouteMembersAvailable',
  /** 1 when at least one member could take a call, else 0. */
  canTransfer: 'RouteCanTransfer',
} as const;

export const runMetricNames = {
  /** Queues checked in one run of the scheduled check. */
  queuesChecked: 'QueuesChecked',
  /** Queue checks that failed inside the gate itself (not vendor errors). */
  checkFailures: 'CheckFailures',
} as const;

/**
 * Every availability answer the API gives (docs/on-call/traffic-metrics.md), published per
 * request with the dimension sets [queue] and [seller] apart (never both in one set), so the
 * metric count grows with queues + sellers, not their product. The scheduled check's own
 * metrics above are not these.
 */
export const trafficMetricNames = {
  /** 1 per answer. */
  answers: 'Answers',
  /** 1 per "yes", 0 per "no" (its Average is the yes rate). */
  yesAnswers: 'YesAnswers',
  /** 1 per "no", with the reason as a dimension too ([queue, reason] and [seller, reason]). */
  refusals: 'Refusals',
} as const;

export const metricDimensions = { service: 'service', queue: 'queue', route: 'route', kind: 'kind', seller: 'seller', reason: 'reason' } as const;
