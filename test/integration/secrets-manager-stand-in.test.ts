/** The stand-in serves the real SecretsManagerClient, as AWS_ENDPOINT_URL_SECRETS_MANAGER points it. */
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type SecretsManagerStandIn, startSecretsManagerStandIn } from '../../local/secrets-manager-stand-in';

const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tg/by-arn-Ab12Cd';
let standIn: SecretsManagerStandIn;
let client: SecretsManagerClient;

beforeAll(async () => {
  standIn = await startSecretsManagerStandIn({ 'tg/aloware': { apiToken: 't' }, [arn]: { apiKey: 'k' } });
  client = new SecretsManagerClient({ endpoint: standIn.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});
afterAll(async () => {
  client.destroy();
  await standIn.close();
});

const read = async (secretId: string) => JSON.parse((await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString!);

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
