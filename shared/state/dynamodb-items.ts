/**
 * How the state store's records look as DynamoDB items (low-level attribute values, so no
 * marshalling library is needed). Pure functions: keys, item -> record with a tolerant check
 * (a malformed attribute reads as absent, never as a wrong number), and the TTL horizon of each
 * item. The TTL only cleans the table up: every expiry is decided from the timestamps here.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { type VendorErrorKind, vendorErrorKinds } from '../errors';
import type { Availability } from '../vendors/port';
import type { Hold, Override, ReadState } from './store';

export type Item = Record<string, AttributeValue>;

/** What the CDK table construct and the local table creation share. */
export const stateTableDefinition = { partitionKey: 'pk', timeToLiveAttribute: 'expiresAt' } as const;

export const itemKey = {
  read: (key: string) => `read#${key}`,
  block: (secret: string) => `block#${secret}`,
  budget: (secret: string, minute: number) => `budget#${secret}#${minute}`,
  holds: (queueId: string) => `holds#${queueId}`,
  override: (queueId: string) => `override#${queueId}`,
  /** docs/operators/limits.md: counters (the window is in the key), a seller's hold slots, duplicate windows. */
  count: (key: string) => `count#${key}`,
  slot: (seller: string, index: number) => `slot#${seller}#${index}`,
  transfer: (key: string) => `dup#${key}`,
};

export const keyOf = (pk: string): Item => ({ [stateTableDefinition.partitionKey]: { S: pk } });
export const str = (value: string): AttributeValue => ({ S: value });
export const num = (value: number): AttributeValue => ({ N: String(value) });

/** The TTL attribute value: epoch SECONDS, `slackMs` after the last moment the item matters. */
export function ttlAfter(epochMs: number, slackMs: number): AttributeValue {
  return num(Math.ceil((epochMs + slackMs) / 1000));
}

/** A read key's item outlives its reading by a day: far longer than any queue's maxStaleMs. */
export const readItemSlackMs = 86_400_000;
/** Blocks, budget counters and hold lists are useless a minute after their last timestamp. */
export const shortSlackMs = 60_000;

export function stringOf(item: Item | undefined, name: string): string | undefined {
  return item?.[name]?.S;
}

export function numberOf(item: Item | undefined, name: string): number | undefined {
  const text = item?.[name]?.N;
  const value = text === undefined ? Number.NaN : Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAvailability(value: unknown): value is Availability {
  return isRecord(value) && typeof value.available === 'number';
}

/** A shared read's snapshot: string values only (Aircall: user id -> live status). */
function isSnapshot(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((entry) => typeof entry === 'string');
}

function isFailureKind(value: string | undefined): value is VendorErrorKind {
  return vendorErrorKinds.some((kind) => kind === value);
}

export function readStateOf(item: Item | undefined): ReadState {
  const state: ReadState = {};
  const availability = parseJson(stringOf(item, 'reading'));
  const checkedAt = numberOf(item, 'checkedAt');
  if (isAvailability(availability) && checkedAt !== undefined) {
    state.reading = { availability, checkedAt };
    const snapshot = parseJson(stringOf(item, 'snapshot'));
    if (isSnapshot(snapshot)) state.reading.snapshot = snapshot;
  }
  const kind = stringOf(item, 'failKind');
  const at = numberOf(item, 'failAt');
  const streak = numberOf(item, 'failStreak');
  const retryAt = numberOf(item, 'failRetryAt');
  if (isFailureKind(kind) && at !== undefined && streak !== undefined && retryAt !== undefined) state.failure = { kind, at, streak, retryAt };
  const owner = stringOf(item, 'leaseOwner');
  const until = numberOf(item, 'leaseUntil');
  if (owner !== undefined && until !== undefined) state.lease = { owner, until };
  return state;
}

function isHold(value: unknown): value is Hold {
  return (
    isRecord(value) &&
    typeof value.callerName === 'string' &&
    typeof value.callerId === 'string' &&
    typeof value.placedAt === 'number' &&
    typeof value.expiresAt === 'number'
  );
}

/** A queue's hold list and the version its next write must be conditioned on (0: no item yet). */
export interface HoldList {
  holds: Hold[];
  version: number;
}

export function holdListOf(item: Item | undefined): HoldList {
  const parsed = parseJson(stringOf(item, 'holds'));
  const holds = Array.isArray(parsed) ? parsed.filter(isHold) : [];
  return { holds, version: numberOf(item, 'version') ?? 0 };
}

export function holdListItem(queueId: string, holds: readonly Hold[], version: number, now: number): Item {
  const lastExpiry = holds.reduce((latest, hold) => Math.max(latest, hold.expiresAt), now);
  return {
    ...keyOf(itemKey.holds(queueId)),
    holds: str(JSON.stringify(holds.map(({ callerName, callerId, placedAt, expiresAt }) => ({ callerName, callerId, placedAt, expiresAt })))),
    version: num(version),
    expiresAt: ttlAfter(lastExpiry, shortSlackMs),
  };
}

export function overrideOf(item: Item | undefined): Override | undefined {
  const state = stringOf(item, 'state');
  const setBy = stringOf(item, 'setBy');
  const setAt = numberOf(item, 'setAt');
  if ((state !== 'open' && state !== 'closed') || setBy === undefined || setAt === undefined) return undefined;
  const override: Override = { state, setBy, setAt };
  const until = numberOf(item, 'until');
  const note = stringOf(item, 'note');
  if (until !== undefined) override.until = until;
  if (note !== undefined) override.note = note;
  return override;
}

/**
 * An override without `until` gets no TTL: it stands until an admin deletes it, and the table
 * must not quietly reopen (or close) a queue on its own.
 */
export function overrideItem(queueId: string, override: Override): Item {
  const item: Item = { ...keyOf(itemKey.override(queueId)), state: str(override.state), setBy: str(override.setBy), setAt: num(override.setAt) };
  if (override.until !== undefined) {
    item.until = num(override.until);
    item.expiresAt = ttlAfter(override.until, readItemSlackMs);
  }
  if (override.note !== undefined) item.note = str(override.note);
  return item;
}

/** One UpdateItem's changes; the condition refers to attributes as `#name` and brings its own values. */
export interface ItemUpdate {
  set: Item;
  remove?: string[];
  add?: Item;
  condition?: { expression: string; names: string[]; values?: Item };
}

/**
 * The UpdateItem expressions: every attribute goes through a `#name` (several of ours, like
 * `until`, are DynamoDB reserved words) and every SET/ADD value is `:name`.
 */
export function updateExpression({ set, remove = [], add = {}, condition }: ItemUpdate) {
  const written = [...Object.keys(set), ...remove, ...Object.keys(add)];
  const names = Object.fromEntries([...written, ...(condition?.names ?? [])].map((name) => [`#${name}`, name]));
  const values: Item = { ...condition?.values };
  for (const [name, value] of Object.entries({ ...set, ...add })) values[`:${name}`] = value;
  const clauses = [
    `SET ${Object.keys(set)
      .map((name) => `#${name} = :${name}`)
      .join(', ')}`,
    remove.length ? `REMOVE ${remove.map((name) => `#${name}`).join(', ')}` : '',
    Object.keys(add).length
      ? `ADD ${Object.keys(add)
          .map((name) => `#${name} :${name}`)
          .join(', ')}`
      : '',
  ];
  return {
    UpdateExpression: clauses.filter(Boolean).join(' '),
    ConditionExpression: condition?.expression,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}
