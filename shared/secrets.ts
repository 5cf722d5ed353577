/**
 * Secrets, read through the AWS SDK (so `AWS_ENDPOINT_URL_SECRETS_MANAGER` points the same code
 * at the local stand-in), cached per container and refreshed at most every 5 minutes.
 * Concurrent readers of a cold secret share one fetch. Errors name the secret and the field,
 * never a value.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type * as z from 'zod/mini';
import './zod-locale';
import { shortCallSettings, withEnvironmentCredentials } from './aws-clients';
import { SecretError } from './errors';

export interface SecretSource {
  getSecretString(name: string): Promise<string>;
}

export function secretsManagerSource(client?: SecretsManagerClient): SecretSource {
  // Bounded: a slow Secrets Manager must not hold a caller past its own timeout.
  const secretsClient = client ?? new SecretsManagerClient(withEnvironmentCredentials({ ...shortCallSettings }));
  return {
    async getSecretString(name) {
      let output;
      try {
        output = await secretsClient.send(new GetSecretValueCommand({ SecretId: name }));
      } catch (error) {
        throw new SecretError(`cannot read secret "${name}": ${(error as Error).name}`, { cause: error });
      }
      if (typeof output.SecretString !== 'string') throw new SecretError(`secret "${name}" has no SecretString`);
      return output.SecretString;
    },
  };
}

/**
 * While a secret cannot be read (deleted, access denied, Secrets Manager down) or its new value is
 * unusable (not JSON, a missing field), the last good value stays in use for at most this long,
 * counted from the read that last brought it. Then the store fails closed: the callers secret
 * answers 500 internal_error, a vendor secret makes that check a vendor_error `auth`. Long enough
 * to ride out a Secrets Manager incident or a rotation typo; short enough that a deleted callers
 * secret stops admitting old keys within a quarter of an hour.
 */
export const secretStaleGraceMs = 15 * 60_000;
/** While the last value is kept, a failed read is tried again this soon (not at the next TTL). */
export const secretRetryAfterFailureMs = 30_000;

interface Parsed {
  value: unknown;
  /** When the read that this value was validated from happened. */
  validatedAt: number;
}

interface Entry {
  json: unknown;
  /** When this value was read from the source. */
  readAt: number;
  /** Basis of the TTL: moved back after a failed refresh so that the next get retries sooner. */
  fetchedAt: number;
  parsed: Map<unknown, Parsed>;
  /** The value this one replaced: served (within the grace) while a rotated value does not validate. */
  previous?: Entry;
}

export interface SecretStoreOptions {
  ttlMs?: number;
  now?: () => number;
  /**
   * Told of every failed refresh (a read that failed, or a value that is not usable), with a
   * message naming the secret and the error kind only, and whether the last value is still used.
   */
  onInvalidRefresh?: (error: SecretError) => void;
}

export class SecretStore {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Entry>>();
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly onInvalidRefresh: (error: SecretError) => void;

  constructor(
    private readonly source: SecretSource,
    options: SecretStoreOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 300_000;
    this.now = options.now ?? Date.now;
    this.onInvalidRefresh = options.onInvalidRefresh ?? (() => undefined);
  }

  /**
   * The secret's JSON run through `parse`; the parsed value is cached with the secret, so a
   * hot path pays for neither the fetch nor the validation. A rotated value that does not
   * validate leaves the previous one in use for the rest of its grace (a typo in the callers
   * secret must not lock every caller out at once); `onInvalidRefresh` says so.
   */
  async get<T>(name: string, parse: (json: unknown, name: string) => T): Promise<T> {
    const entry = await this.entry(name);
    const cached = entry.parsed.get(parse);
    if (cached && this.usable(cached.validatedAt, entry)) return cached.value as T;
    const parsed = this.parseOrKeepPrevious(entry, name, parse);
    entry.parsed.set(parse, parsed);
    return parsed.value as T;
  }

  /** A value validated from this entry's own read, or a kept one still within its grace. */
  private usable(validatedAt: number, entry: Entry): boolean {
    return validatedAt === entry.readAt || this.now() - validatedAt < secretStaleGraceMs;
  }

  private parseOrKeepPrevious<T>(entry: Entry, name: string, parse: (json: unknown, name: string) => T): Parsed {
    try {
      return { value: parse(entry.json, name), validatedAt: entry.readAt };
    } catch (error) {
      const previous = entry.previous;
      if (!(error instanceof SecretError) || !previous) throw error;
      const kept = previous.parsed.get(parse) ?? { value: parse(previous.json, name), validatedAt: previous.readAt };
      if (!this.usable(kept.validatedAt, entry)) {
        this.onInvalidRefresh(new SecretError(`${error.message}; ${expiredNote}`));
        throw error;
      }
      this.onInvalidRefresh(new SecretError(`${error.message}; still using the previous value`));
      return kept;
    }
  }

  private async entry(name: string): Promise<Entry> {
    const cached = this.entries.get(name);
    if (cached && this.now() - cached.fetchedAt < this.ttlMs) return cached;
    let pending = this.pending.get(name);
    if (!pending) {
      pending = this.fetch(name, cached).finally(() => this.pending.delete(name));
      this.pending.set(name, pending);
    }
    return pending;
  }

  private async fetch(name: string, previous: Entry | undefined): Promise<Entry> {
    let text: string;
    try {
      text = await this.source.getSecretString(name);
    } catch (error) {
      return this.keepOrFailClosed(name, previous, readFailure(name, error));
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return this.keepOrFailClosed(name, previous, new SecretError(`secret "${name}" is not valid JSON`));
    }
    // Only one generation back is kept: the last value that was in use.
    const now = this.now();
    const entry: Entry = { json, readAt: now, fetchedAt: now, parsed: new Map(), previous: previous && { ...previous, previous: undefined } };
    this.entries.set(name, entry);
    return entry;
  }

  /** A failed refresh, always reported: the last value while within its grace, else `failure` is thrown. */
  private keepOrFailClosed(name: string, previous: Entry | undefined, failure: SecretError): Entry {
    if (!previous) throw failure;
    const leftMs = previous.readAt + secretStaleGraceMs - this.now();
    if (leftMs <= 0) {
      this.entries.delete(name);
      this.onInvalidRefresh(new SecretError(`${failure.message}; ${expiredNote}`));
      throw failure;
    }
    this.onInvalidRefresh(new SecretError(`${failure.message}; still using the previous value`));
    previous.fetchedAt = this.now() - this.ttlMs + Math.min(secretRetryAfterFailureMs, leftMs);
    return previous;
  }
}

const expiredNote = `the previous value is older than ${secretStaleGraceMs / 60_000} minutes and is no longer used`;

/** The secret's name and the error's kind only: a source's message may carry anything. */
function readFailure(name: string, error: unknown): SecretError {
  if (error instanceof SecretError) return error;
  const kind = (error as Error | undefined)?.name;
  const known = typeof kind === 'string' && kind !== 'Error' && /^[A-Za-z][A-Za-z0-9]{0,63}$/.test(kind);
  return new SecretError(`cannot read secret "${name}"${known ? `: ${kind}` : ''}`, { cause: error });
}

/** Validates a secret with a zod-like schema; the error lists field paths only, never values. */
export function parseSecretWith<T>(schema: z.ZodMiniType<T>) {
  return (json: unknown, name: string): T => {
    const result = schema.safeParse(json);
    if (result.success) return result.data;
    throw new SecretError(secretProblems(name, result.error.issues));
  };
}

/**
 * A custom issue whose message may be printed (it names config, never the secret's values): the
 * callers secret's unknown queue ids.
 */
export const printableIssue = { printable: true } as const;

/** Invalid fields by path; unknown fields and printable issues each said apart, so that a typo is found. */
function secretProblems(name: string, issues: readonly z.core.$ZodIssue[]): string {
  const invalid = new Set<string>();
  const unknown = new Set<string>();
  const printable: string[] = [];
  for (const issue of issues) {
    const at = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') issue.keys.forEach((key) => unknown.add([at, printableKey(key)].filter(Boolean).join('.')));
    else if (issue.code === 'custom' && issue.params?.printable === true) printable.push(`${at}: ${issue.message}`);
    else invalid.add(at || '(root)');
  }
  return [
    invalid.size ? `secret "${name}" is missing or has an invalid field: ${[...invalid].join(', ')}` : '',
    unknown.size ? `secret "${name}" has unknown fields: ${[...unknown].join(', ')}` : '',
    printable.length ? `secret "${name}": ${printable.join('; ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/** A field name is printed when it looks like one; a long or odd key may be a pasted credential. */
function printableKey(key: string): string {
  return /^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(key) ? key : '(a key that is not a field name)';
}
