/**
 * The stand-in serves the real SecretsManagerClient, as AWS_ENDPOINT_URL_SECRETS_MANAGER points it,
 * and only when it signs with the stand-in's own access key.
 */
import { connect } from 'node:net';
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type SecretsManagerStandIn, startSecretsManagerStandIn } from '../../local/secrets-manager-stand-in';

const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tg/by-arn-Ab12Cd';
let standIn: SecretsManagerStandIn;
let client: SecretsManagerClient;

beforeAll(async () => {
  standIn = await startSecretsManagerStandIn({ 'tg/aloware': { apiToken: 't' }, [arn]: { apiKey: 'k' } });
  client = clientWith(standIn.accessKey);
});
afterAll(async () => {
  client.destroy();
  await standIn.close();
});

function clientWith(credentials: { accessKeyId: string; secretAccessKey: string }) {
  return new SecretsManagerClient({ endpoint: standIn.url, region: 'us-east-1', credentials, maxAttempts: 1 });
}

const read = async (secretId: string) => JSON.parse((await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString!);

let reads = 0;
afterEach(() => {
  reads = standIn.reads('tg/aloware');
});

it('answers by name, and by an ARN of that name', async () => {
  expect(await read('tg/aloware')).toEqual({ apiToken: 't' });
  expect(await read('arn:aws:secretsmanager:us-east-1:000000000000:secret:tg/aloware-XyZ123')).toEqual({ apiToken: 't' });
  expect(standIn.reads('tg/aloware')).toBe(2);
});

it('answers a secret the secrets file keys by its full ARN', async () => {
  expect(await read(arn)).toEqual({ apiKey: 'k' });
});

it('answers an unknown secret as Secrets Manager does', async () => {
  await expect(read('tg/nope')).rejects.toBeInstanceOf(ResourceNotFoundException);
});

it('serves a replaced secret from then on', async () => {
  standIn.setSecret('tg/aloware', { apiToken: 'rotated' });
  expect(await read('tg/aloware')).toEqual({ apiToken: 'rotated' });
});

describe('only its gate', () => {
  const getSecretValue = (headers: Record<string, string> = {}) =>
    fetch(standIn.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue', ...headers },
      body: JSON.stringify({ SecretId: 'tg/aloware' }),
    });

  it('refuses an unsigned request with 403 and no secret in the answer', async () => {
    const response = await getSecretValue();
    const text = await response.text();
    expect(response.status).toBe(403);
    expect(JSON.parse(text).__type).toBe('InvalidSignatureException');
    expect(text).not.toContain('apiToken');
  });

  it('refuses a dummy signature (any key id, a made-up signature)', async () => {
    const { accessKeyId } = standIn.accessKey;
    const date = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    const authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${date.slice(0, 8)}/us-east-1/secretsmanager/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;
    expect((await getSecretValue({ authorization, 'x-amz-date': date })).status).toBe(403);
  });

  it('answers 403 to a request it cannot even check (a target no URL parser takes), and keeps answering', async () => {
    const date = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    const scope = `${standIn.accessKey.accessKeyId}/${date.slice(0, 8)}/us-east-1/secretsmanager/aws4_request`;
    const authorization = `AWS4-HMAC-SHA256 Credential=${scope}, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(Number(new URL(standIn.url).port), '127.0.0.1', () =>
        socket.write(
          `POST http://[bad/ HTTP/1.1\r\nHost: x\r\nauthorization: ${authorization}\r\nx-amz-date: ${date}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`,
        ),
      );
      let text = '';
      socket.on('data', (chunk) => (text += String(chunk)));
      socket.on('close', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 403 /);
    expect(await read('tg/aloware')).toEqual({ apiToken: 'rotated' });
  });

  it('refuses the real SDK signing with another key, or with its key id and another secret', async () => {
    for (const credentials of [
      { accessKeyId: 'AKIDSOMEONEELSE', secretAccessKey: standIn.accessKey.secretAccessKey },
      { accessKeyId: standIn.accessKey.accessKeyId, secretAccessKey: 'not-the-secret' },
    ]) {
      const other = clientWith(credentials);
      const failure = await other
        .send(new GetSecretValueCommand({ SecretId: 'tg/aloware' }))
        .catch((error: { $metadata?: { httpStatusCode?: number } }) => error);
      other.destroy();
      expect(failure.$metadata?.httpStatusCode).toBe(403);
    }
    expect(standIn.reads('tg/aloware')).toBe(reads);
  });
});
