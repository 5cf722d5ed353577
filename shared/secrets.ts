/**
 * Secrets, read through the AWS SDK (so `AWS_ENDPOINT_URL_SECRETS_MANAGER` points the same code
 * at the local stand-in), cached per container and refreshed at most every 5 minutes.
 * Concurrent readers of a cold secret share one fetch. Errors name the secret and the field,
 * never a value.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type * as z from 'zod';
import { SecretError } from './errors';

export interface SecretSource {
  getSecretString(name: string): Promise<string>;
}

export function secretsManagerSource(client?: SecretsManagerClient): SecretSource {
  // Bounded: a slow Secrets Manager must not hold a caller past its own timeout.
  const secretsClient =
    client ?? new SecretsManagerClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 1000, requestTimeout: 2000 } });
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

interface Entry {
  json: unknown;
  fetchedAt: number;
  parsed: Map<unknown, unknown>;
  /** The value this one replaced: served while a rotated value does not validate. */
  previous?: Entry;
}

export interface SecretStoreOptions {
  ttlMs?: number;
  now?: () => number;
  /** Told once per refresh when a new value is unusable and the previous one is kept. */
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
   * validate leaves the previous one in use (a typo in the callers secret must not lock every
   * caller out); `onInvalidRefresh` says so.
   */
  async get<T>(name: string, parse: (json: unknown, name: string) => T): Promise<T> {
    const entry = await this.entry(name);
    if (!entry.parsed.has(parse)) entry.parsed.set(parse, this.parseOrKeepPrevious(entry, name, parse));
    return entry.parsed.get(parse) as T;
  }

  private parseOrKeepPrevious<T>(entry: Entry, name: string, parse: (json: unknown, name: string) => T): T {
    try {
      return parse(entry.json, name);
    } catch (error) {
      const previous = entry.previous;
      if (!(error instanceof SecretError) || !previous) throw error;
      const kept = previous.parsed.has(parse) ? (previous.parsed.get(parse) as T) : parse(previous.json, name);
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
      // A refresh that fails keeps the last value for a short while rather than locking everyone out.
      if (previous) {
        previous.fetchedAt = this.now() - this.ttlMs + 30_000;
        return previous;
      }
      throw error instanceof SecretError ? error : new SecretError(`cannot read secret "${name}"`, { cause: error });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      const error = new SecretError(`secret "${name}" is not valid JSON`);
      if (!previous) throw error;
      this.onInvalidRefresh(new SecretError(`${error.message}; still using the previous value`));
      previous.fetchedAt = this.now();
      return previous;
    }
    // Only one generation back is kept: the last value that was in use.
    const entry: Entry = { json, fetchedAt: this.now(), parsed: new Map(), previous: previous && { ...previous, previous: undefined } };
    this.entries.set(name, entry);
    return entry;
  }
}

/** Validates a secret with a zod-like schema; the error lists field paths only, never values. */
export function parseSecretWith<T>(schema: z.ZodType<T>) {
  return (json: unknown, name: string): T => {
    const result = schema.safeParse(json);
    if (result.success) return result.data;
    const fields = [...new Set(result.error.issues.map((issue) => issue.path.map(String).join('.') || '(root)'))];
    throw new SecretError(`secret "${name}" is missing or has an invalid field: ${fields.join(', ')}`);
  };
}
