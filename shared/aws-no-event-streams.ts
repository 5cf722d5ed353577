/**
 * Stands in for `@smithy/core/event-streams` in the function bundles (an esbuild alias,
 * infra/bundle-aliases.ts). Every SDK protocol class reaches it by `await import(...)` only when
 * an operation streams events; the Secrets Manager and DynamoDB operations the gate calls never
 * do, yet esbuild bundles the import target (the event-stream serde and codec, about 15 KiB) in
 * every function. Should an operation ever stream events, it fails at once with this message
 * instead of sending a half-built request. Outside the bundles (tests, local tools) the real
 * module is used.
 */
const notBundled = '@smithy/core/event-streams is not in this bundle (infra/bundle-aliases.ts): the AWS calls the gate makes use no event streams';

/** What the protocol constructs first: refuses. */
export class EventStreamSerde {
  constructor() {
    throw new Error(notBundled);
  }
}

/** What the protocol asks for the marshaller: refuses. */
export function eventStreamSerdeProvider(): never {
  throw new Error(notBundled);
}
