/**
 * The stand-ins' signature check (docs/operators/running-locally.md, "Only their gates"): a request
 * signed by Smithy's SignatureV4 (what the AWS SDK sends) with the gate's key passes; anything
 * else is refused with a reason. No network: the requests are built here.
 */
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { newLocalAccessKey } from '../../../local/access-key';
import { type SignedRequest, signatureProblem } from '../../../local/signed-requests';

const key = newLocalAccessKey();
const signedAt = new Date('2026-12-03T12:00:00.000Z');
const body = JSON.stringify({ TableName: 'transfer-gate-state' });

type Data = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: Data) =>
  typeof data === 'string' ? Buffer.from(data) : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);

class Sha256 {
  private readonly chunks: Buffer[] = [];
  constructor(private readonly secret?: Data) {}
  update(data: Data) {
    this.chunks.push(bytes(data));
  }
  async digest() {
    const hash = this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret));
    return new Uint8Array(hash.update(Buffer.concat(this.chunks)).digest());
  }
}

/** Signs as the SDK does (its own signer, a hash written apart from the one under test). */
async function signed(credentials = key, service = 'dynamodb', extraHeaders: Record<string, string> = {}): Promise<SignedRequest> {
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service, sha256: Sha256 });
  const request = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 8000,
      path: '/',
      query: {},
      headers: { host: '127.0.0.1:8000', 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.DeleteTable', ...extraHeaders },
      body,
    },
    { signingDate: signedAt },
  );
  return { method: 'POST', url: '/', headers: request.headers, body: Buffer.from(body) };
}

const check = (request: SignedRequest, now = signedAt.getTime() + 1_000) => signatureProblem(request, key, 'dynamodb', now);

it('passes a request the SDK signed with the key', async () => {
  await expect(check(await signed())).resolves.toBeUndefined();
});

it('passes a request whose declared body hash is right, refuses one whose hash is another body', async () => {
  const hash = createHash('sha256').update(body).digest('hex');
  await expect(check(await signed(key, 'dynamodb', { 'x-amz-content-sha256': hash }))).resolves.toBeUndefined();
  const other = createHash('sha256').update('{}').digest('hex');
  await expect(check(await signed(key, 'dynamodb', { 'x-amz-content-sha256': other }))).resolves.toBe('the body does not match its hash');
});

it('refuses an unsigned request, another key id, another secret, another service', async () => {
  await expect(check({ method: 'POST', url: '/', headers: {}, body: Buffer.from(body) })).resolves.toMatch(/not signed/);
  await expect(check(await signed({ ...key, accessKeyId: 'AKIDSOMEONEELSE' }))).resolves.toMatch(/access key/);
  await expect(check(await signed({ ...key, secretAccessKey: 'guessed' }))).resolves.toBe('the signature does not match');
  await expect(check(await signed(key, 'secretsmanager'))).resolves.toMatch(/another service/);
});

it('refuses a changed body, method, path or signed header', async () => {
  const request = await signed();
  await expect(check({ ...request, body: Buffer.from(JSON.stringify({ TableName: 'other' })) })).resolves.toMatch(/does not match/);
  await expect(check({ ...request, method: 'PUT' })).resolves.toBe('the signature does not match');
  await expect(check({ ...request, url: '/?x=1' })).resolves.toBe('the signature does not match');
  await expect(check({ ...request, headers: { ...request.headers, 'x-amz-target': 'DynamoDB_20120810.Scan' } })).resolves.toBe('the signature does not match');
});

it('refuses a signature more than 5 minutes old or ahead, or without its date', async () => {
  const request = await signed();
  await expect(check(request, signedAt.getTime() + 6 * 60_000)).resolves.toBe('the signature has expired');
  await expect(check(request, signedAt.getTime() - 6 * 60_000)).resolves.toBe('the signature has expired');
  const { 'x-amz-date': _date, ...undated } = request.headers;
  await expect(check({ ...request, headers: undated })).resolves.toMatch(/X-Amz-Date/);
});
