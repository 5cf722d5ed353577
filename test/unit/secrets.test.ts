import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import * as z from 'zod/mini';
import { SecretError } from '../../shared/errors';
import { type SecretSource, SecretStore, parseSecretWith, secretStaleGraceMs, secretsManagerSource } from '../../shared/secrets';
import { deferred, manualClock } from '../support/clock';
import { rejectionOf } from '../support/rejection';

const sentinel = 'SENTINEL-SECRET-VALUE-91c2';
const fiveMinutes = 300_000;
const identity = (json: unknown) => json;

/** A SecretSource whose answers the test sets, counting reads. */
function scriptedSource(first: string) {
  let next: () => Promise<string> = async () => first;
  const source: SecretSource & { reads: number } = {
    reads: 0,
    getSecretString() {
      source.reads += 1;
      return next();
    },
  };
  return {
    source,
    answer(value: string) {
      next = async () => value;
    },
    fail(error: unknown = new Error('ThrottlingException')) {
      next = async () => {
        throw error;
      };
    },
    hold(promise: Promise<string>) {
      next = () => promise;
    },
  };
}

async function secretError(promise: Promise<unknown>): Promise<SecretError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(SecretError);
  expect((error as Error).message).not.toContain(sentinel);
  return error as SecretError;
}

describe('SecretStore caching', () => {
  it('reads a secret once within 5 minutes and again after', async () => {
    const clock = manualClock();
    const scripted = scriptedSource('{"apiToken":"one"}');
    const store = new SecretStore(scripted.source, { now: clock.now });

    await expect(store.get('tg/aloware', identity)).resolves.toEqual({ apiToken: 'one' });
    scripted.answer('{"apiToken":"two"}');
    clock.advance(fiveMinutes - 1);
    await expect(store.get('tg/aloware', identity)).resolves.toEqual({ apiToken: 'one' });
    expect(scripted.source.reads).toBe(1);

    clock.advance(1);
    await expect(store.get('tg/aloware', identity)).resolves.toEqual({ apiToken: 'two' });
    expect(scripted.source.reads).toBe(2);
  });

  it('caches per secret name', async () => {
    const reads: string[] = [];
    const store = new SecretStore({ getSecretString: async (name) => (reads.push(name), JSON.stringify({ name })) });
    await expect(store.get('a', identity)).resolves.toEqual({ name: 'a' });
    await expect(store.get('b', identity)).resolves.toEqual({ name: 'b' });
    await store.get('a', identity);
    expect(reads).toEqual(['a', 'b']);
  });

  it('runs the parser once per fetched value', async () => {
    const clock = manualClock();
    const store = new SecretStore(scriptedSource('{"apiToken":"one"}').source, { now: clock.now });
    const parse = jest.fn((json: unknown) => ({ parsed: json }));
    const first = await store.get('s', parse);
    const second = await store.get('s', parse);
    expect(second).toBe(first);
    expect(parse).toHaveBeenCalledTimes(1);
    clock.advance(fiveMinutes);
    await store.get('s', parse);
    expect(parse).toHaveBeenCalledTimes(2);
  });

  it('lets concurrent readers of a cold secret share one fetch', async () => {
    const scripted = scriptedSource('unused');
    const held = deferred<string>();
    scripted.hold(held.promise);
    const store = new SecretStore(scripted.source);
    const readers = Array.from({ length: 20 }, () => store.get('s', identity));
    held.resolve('{"apiToken":"shared"}');
    const values = await Promise.all(readers);
    expect(scripted.source.reads).toBe(1);
    expect(values.every((value) => (value as { apiToken: string }).apiToken === 'shared')).toBe(true);
  });

  it('keeps the last value when a refresh fails, and retries after 30 s', async () => {
    const clock = manualClock();
    const scripted = scriptedSource('{"apiToken":"one"}');
    const store = new SecretStore(scripted.source, { now: clock.now });
    await store.get('s', identity);

    scripted.fail();
    clock.advance(fiveMinutes);
    await expect(store.get('s', identity)).resolves.toEqual({ apiToken: 'one' });
    expect(scripted.source.reads).toBe(2);

    clock.advance(29_999);
    await expect(store.get('s', identity)).resolves.toEqual({ apiToken: 'one' });
    expect(scripted.source.reads).toBe(2);

    scripted.answer('{"apiToken":"two"}');
    clock.advance(1);
    await expect(store.get('s', identity)).resolves.toEqual({ apiToken: 'two' });
    expect(scripted.source.reads).toBe(3);
  });

  it('keeps serving the previous value when a rotated one does not validate, and says so once', async () => {
    const clock = manualClock();
    const scripted = scriptedSource('{"apiToken":"one"}');
    const rejected: SecretError[] = [];
    const store = new SecretStore(scripted.source, { now: clock.now, onInvalidRefresh: (error) => rejected.push(error) });
    const parse = parseSecretWith(z.object({ apiToken: z.string() }));
    await expect(store.get('tg/aloware', parse)).resolves.toEqual({ apiToken: 'one' });

    scripted.answer(`{"apiTokn":"${sentinel}"}`);
    clock.advance(fiveMinutes);
    await expect(store.get('tg/aloware', parse)).resolves.toEqual({ apiToken: 'one' });
    await expect(store.get('tg/aloware', parse)).resolves.toEqual({ apiToken: 'one' });
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.message).toMatch(/tg\/aloware.*apiToken.*previous value/);
    expect(rejected[0]!.message).not.toContain(sentinel);

    scripted.answer('{"apiToken":"fixed"}');
    clock.advance(fiveMinutes);
    await expect(store.get('tg/aloware', parse)).resolves.toEqual({ apiToken: 'fixed' });
  });

  it('keeps serving the previous value when a rotated one is not JSON', async () => {
    const clock = manualClock();
    const scripted = scriptedSource('{"apiToken":"one"}');
    const rejected: SecretError[] = [];
    const store = new SecretStore(scripted.source, { now: clock.now, onInvalidRefresh: (error) => rejected.push(error) });
    await store.get('s', identity);
    scripted.answer(`{"apiToken": ${sentinel}`);
    clock.advance(fiveMinutes);
    await expect(store.get('s', identity)).resolves.toEqual({ apiToken: 'one' });
    expect(rejected.map((error) => error.message)).toEqual(['secret "s" is not valid JSON; still using the previous value']);
  });

  it('fails when the first read fails, and tries again on the next get', async () => {
    const scripted = scriptedSource('unused');
    scripted.fail(new Error(`AccessDeniedException for ${sentinel}`));
    const store = new SecretStore(scripted.source);
    const error = await secretError(store.get('tg/aloware', identity));
    expect(error.message).toBe('cannot read secret "tg/aloware"');

    scripted.answer('{"apiToken":"ok"}');
    await expect(store.get('tg/aloware', identity)).resolves.toEqual({ apiToken: 'ok' });
    expect(scripted.source.reads).toBe(2);
  });

  it('names the error kind of a source error, never its message', async () => {
    const scripted = scriptedSource('unused');
    scripted.fail(Object.assign(new Error(`denied for ${sentinel}`), { name: 'ThrottlingException' }));
    const error = await secretError(new SecretStore(scripted.source).get('s', identity));
    expect(error.message).toBe('cannot read secret "s": ThrottlingException');
  });

  it('passes a SecretError from the source through as it is', async () => {
    const scripted = scriptedSource('unused');
    scripted.fail(new SecretError('cannot read secret "s": ResourceNotFoundException'));
    const error = await secretError(new SecretStore(scripted.source).get('s', identity));
    expect(error.message).toBe('cannot read secret "s": ResourceNotFoundException');
  });
});

describe('SecretStore: a bounded grace for the last value (issue 7 point 10)', () => {
  const minute = 60_000;

  it('the grace is a named 15 minutes', () => {
    expect(secretStaleGraceMs).toBe(15 * minute);
  });

  it('a deleted secret: the last value is used until 15 minutes after its last successful read, then the store fails closed', async () => {
    const clock = manualClock();
    const scripted = scriptedSource(`{"apiToken":"${sentinel}"}`);
    const reports: string[] = [];
    const store = new SecretStore(scripted.source, { now: clock.now, onInvalidRefresh: (error) => reports.push(error.message) });
    await store.get('tg/callers', identity);
    scripted.fail(new SecretError('cannot read secret "tg/callers": ResourceNotFoundException'));

    clock.advance(fiveMinutes);
    await expect(store.get('tg/callers', identity)).resolves.toEqual({ apiToken: sentinel });
    // Every failed refresh is reported (every 30 s while the value is kept), none re-arms the grace.
    for (let at = fiveMinutes; at + 30_000 < secretStaleGraceMs; at += 30_000) {
      clock.advance(30_000);
      await expect(store.get('tg/callers', identity)).resolves.toEqual({ apiToken: sentinel });
    }
    const readsWhileKept = scripted.source.reads;
    expect(reports).toHaveLength(readsWhileKept - 1);
    clock.advance(secretStaleGraceMs - (clock.now() - manualClock().now()));
    const error = await secretError(store.get('tg/callers', identity));
    expect(error.message).toBe('cannot read secret "tg/callers": ResourceNotFoundException');
    // Still closed an hour later: no value is ever resurrected.
    clock.advance(60 * minute);
    await secretError(store.get('tg/callers', identity));
    // After that there is no value to keep: each read fails and is thrown (logged by the API or the gate).
    expect(reports.at(-1)).toBe(
      'cannot read secret "tg/callers": ResourceNotFoundException; the previous value is older than 15 minutes and is no longer used',
    );
    expect(reports[0]).toBe('cannot read secret "tg/callers": ResourceNotFoundException; still using the previous value');
    for (const report of reports) expect(report).not.toContain(sentinel);
  });

  it('fails closed exactly at the bound: the last kept second still serves', async () => {
    const clock = manualClock();
    const scripted = scriptedSource('{"apiToken":"one"}');
    const store = new SecretStore(scripted.source, { now: clock.now });
    await store.get('s', identity);
    scripted.fail();
    clock.advance(secretStaleGraceMs - 1);
    await expect(store.get('s', identity)).resolves.toEqual({ apiToken: 'one' });
    clock.advance(1);
    await secretError(store.get('s', identity));
  });

  it('a successful read starts a new grace', async () => {
    const clock = manualClock();
    const scripted = scriptedSource('{"apiToken":"one"}');
    const store = new SecretStore(scripted.source, { now: clock.now });
    await store.get('s', identity);
    scripted.fail();
    clock.advance(10 * minute);
    await store.get('s', identity);
    scripted.answer('{"apiToken":"two"}');
    clock.advance(minute);
    await expect(store.get('s', identity)).resolves.toEqual({ apiToken: 'two' });
    scripted.fail();
    clock.advance(14 * minute);
    await expect(store.get('s', identity)).resolves.toEqual({ apiToken: 'two' });
  });

  it('a rotated value that is not JSON keeps the previous one for the grace only', async () => {
    const clock = manualClock();
    const scripted = scriptedSource('{"apiToken":"one"}');
    const reports: string[] = [];
    const store = new SecretStore(scripted.source, { now: clock.now, onInvalidRefresh: (error) => reports.push(error.message) });
    await store.get('s', identity);
    scripted.answer(`{"apiToken": ${sentinel}`);
    clock.advance(14 * minute);
    await expect(store.get('s', identity)).resolves.toEqual({ apiToken: 'one' });
    clock.advance(minute);
    expect((await secretError(store.get('s', identity))).message).toBe('secret "s" is not valid JSON');
    expect(reports.at(-1)).toMatch(/no longer used$/);
  });

  it('a rotated value that does not validate keeps the previous one for the grace only, across refreshes', async () => {
    const clock = manualClock();
    const scripted = scriptedSource('{"apiToken":"one"}');
    const store = new SecretStore(scripted.source, { now: clock.now });
    const parse = parseSecretWith(z.object({ apiToken: z.string() }));
    await store.get('tg/aloware', parse);
    scripted.answer(`{"apiTokn":"${sentinel}"}`);
    for (let elapsed = 0; elapsed < 14 * minute; elapsed += minute) {
      clock.advance(minute);
      await expect(store.get('tg/aloware', parse)).resolves.toEqual({ apiToken: 'one' });
    }
    clock.advance(minute);
    expect((await secretError(store.get('tg/aloware', parse))).message).toMatch(/tg\/aloware.*apiToken/);
    clock.advance(fiveMinutes);
    await secretError(store.get('tg/aloware', parse));
  });
});

describe('SecretStore errors never carry values', () => {
  it('invalid JSON names the secret', async () => {
    const store = new SecretStore(scriptedSource(`apiToken=${sentinel}`).source);
    const error = await secretError(store.get('tg/calltools', identity));
    expect(error.message).toBe('secret "tg/calltools" is not valid JSON');
  });

  it('a missing or invalid field names the secret and the field', async () => {
    const schema = z.object({ clientId: z.string().check(z.minLength(1)), clientSecret: z.string().check(z.minLength(1)) });
    const store = new SecretStore(scriptedSource(JSON.stringify({ clientId: sentinel, clientSecret: [sentinel] })).source);
    const error = await secretError(store.get('tg/vonage', parseSecretWith(schema)));
    expect(error.message).toBe('secret "tg/vonage" is missing or has an invalid field: clientSecret');
  });

  it('lists every bad field, nested ones with their path', () => {
    const schema = z.object({ apiToken: z.string(), nested: z.object({ key: z.string() }) });
    const parse = parseSecretWith(schema);
    expect(() => parse({ nested: { key: 7 } }, 'tg/x')).toThrow('secret "tg/x" is missing or has an invalid field: apiToken, nested.key');
    expect(() => parse(sentinel, 'tg/x')).toThrow('invalid field: (root)');
  });

  it('returns the parsed data when valid', () => {
    const parse = parseSecretWith(z.object({ apiToken: z.string() }));
    expect(parse({ apiToken: 'x', extra: true }, 'tg/x')).toEqual({ apiToken: 'x' });
  });
});

describe('secretsManagerSource', () => {
  const secretsManager = mockClient(SecretsManagerClient);
  const client = new SecretsManagerClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });

  beforeEach(() => secretsManager.reset());
  afterAll(() => secretsManager.restore());

  it('returns the SecretString of the named secret', async () => {
    secretsManager.on(GetSecretValueCommand, { SecretId: 'tg/aloware' }).resolves({ Name: 'tg/aloware', SecretString: '{"apiToken":"x"}' });
    await expect(secretsManagerSource(client).getSecretString('tg/aloware')).resolves.toBe('{"apiToken":"x"}');
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(secretsManager.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: 'tg/aloware' });
  });

  it('wraps an SDK error in a SecretError naming the secret and the error, keeping the cause', async () => {
    const sdkError = new ResourceNotFoundException({ message: `Secrets Manager can't find ${sentinel}`, $metadata: {} });
    secretsManager.on(GetSecretValueCommand).rejects(sdkError);
    const error = await secretError(secretsManagerSource(client).getSecretString('tg/missing'));
    expect(error.message).toBe('cannot read secret "tg/missing": ResourceNotFoundException');
    expect(error.cause).toBe(sdkError);
  });

  it('fails on a binary secret', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ Name: 'tg/bin', SecretBinary: new Uint8Array([1, 2]) });
    const error = await secretError(secretsManagerSource(client).getSecretString('tg/bin'));
    expect(error.message).toBe('secret "tg/bin" has no SecretString');
  });

  it('feeds a SecretStore', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: '{"apiKey":"k"}' });
    const store = new SecretStore(secretsManagerSource(client));
    await store.get('tg/calltools', identity);
    await expect(store.get('tg/calltools', identity)).resolves.toEqual({ apiKey: 'k' });
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });
});
