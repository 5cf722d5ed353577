/** Runs one vendor adapter against a fake fetch, through the real HTTP client. */
import { FetchHttpHandler } from '@smithy/fetch-http-handler';
import { VendorError } from '../../shared/errors';
import { createHttpClient } from '../../shared/vendors/http-client';
import type { AdapterDeps, Availability, AwsClientOverrides, VendorAdapter } from '../../shared/vendors/port';
import { type RecordedRequest, fakeFetch } from './fake-fetch';
import { rejectionOf } from './rejection';

export const testNow = Date.parse('2026-11-22T10:00:00.000Z');

export function adapterHarness<Queue, Secret>(
  factory: (deps: AdapterDeps) => VendorAdapter<Queue, Secret>,
  answer: (request: RecordedRequest) => Response | Promise<Response>,
) {
  const fetch = fakeFetch(answer);
  const adapter = factory({ http: createHttpClient({ fetch, now: () => testNow }), now: () => testNow, aws: awsOverFetch(fetch) });
  return {
    fetch,
    /** The adapter's answer; `signal` defaults to one that never aborts. */
    check(queue: Queue, secret: Secret, signal: AbortSignal = new AbortController().signal): Promise<Availability> {
      return adapter.check({ queue, secret, signal, deadline: testNow + 2500 });
    },
  };
}

/** The VendorError a check fails with; also checks that `secretValue` appears nowhere in it. */
export async function vendorFailure(promise: Promise<unknown>, secretValue: string): Promise<VendorError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(VendorError);
  const vendorError = error as VendorError;
  expect(`${vendorError.message}\n${vendorError.stack}`).not.toContain(secretValue);
  return vendorError;
}

/**
 * AWS SDK clients (Amazon Connect, STS) sending through `fetch`: the real SDK signs, serializes and
 * parses, and the fake fetch records and answers. The SDK hands fetch a Request; it is unpacked
 * into the (url, init) form the fake records.
 */
export function awsOverFetch(fetch: typeof globalThis.fetch): AwsClientOverrides {
  const customFetch = async (request: Request) =>
    fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.text(),
      signal: request.signal,
      redirect: request.redirect,
    });
  return {
    requestHandler: new FetchHttpHandler({ customFetch: customFetch as typeof globalThis.fetch, requestInit: () => ({ redirect: 'manual' }) }),
    credentials: { accessKeyId: 'AKIDTESTONLY', secretAccessKey: 'test-only-secret-access-key' },
  };
}
