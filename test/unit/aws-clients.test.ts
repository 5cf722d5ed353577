import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startSecretsManagerStandIn } from '../../local/secrets-manager-stand-in';
import { hasEnvironmentCredentials, withEnvironmentCredentials } from '../../shared/aws-clients';
import { defaultProvider } from '../../shared/aws-env-credentials';
import { secretsManagerSource } from '../../shared/secrets';

const envKeys = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL_SECRETS_MANAGER', 'AWS_REGION'] as const;
const saved = Object.fromEntries(envKeys.map((key) => [key, process.env[key]]));
afterEach(() => {
  for (const key of envKeys) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

describe('withEnvironmentCredentials', () => {
  it('adds a provider reading the environment when it holds keys, keeping the rest of the config', async () => {
    const env = { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret-test', AWS_SESSION_TOKEN: 'session-test' };
    Object.assign(process.env, env);
    const config = withEnvironmentCredentials({ maxAttempts: 2 });
    expect(config.maxAttempts).toBe(2);
    await expect(config.credentials!()).resolves.toMatchObject({ accessKeyId: 'AKIDTEST', secretAccessKey: 'secret-test', sessionToken: 'session-test' });
  });

  it('leaves the config alone (the SDK default chain) when the environment has no keys', () => {
    const config = { maxAttempts: 2 };
    expect(withEnvironmentCredentials(config, {})).toBe(config);
    expect(hasEnvironmentCredentials({ AWS_ACCESS_KEY_ID: 'a' })).toBe(false);
    expect(hasEnvironmentCredentials({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' })).toBe(true);
  });
});

describe('the bundles stand-in for the default chain', () => {
  it('reads the environment, and fails (does not guess) without keys', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDCHAIN';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret-chain';
    await expect(defaultProvider()()).resolves.toMatchObject({ accessKeyId: 'AKIDCHAIN' });
    delete process.env.AWS_ACCESS_KEY_ID;
    await expect(defaultProvider()()).rejects.toThrow();
  });
});

test('a client with environment credentials still honours AWS_ENDPOINT_URL_SECRETS_MANAGER', async () => {
  const standIn = await startSecretsManagerStandIn({ 'tg/x': { apiToken: 'v' } }, { accessKey: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' } });
  try {
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: standIn.url,
    });
    await expect(secretsManagerSource().getSecretString('tg/x')).resolves.toBe('{"apiToken":"v"}');
    const explicit = new SecretsManagerClient(withEnvironmentCredentials({}));
    expect(await explicit.config.credentials()).toMatchObject({ accessKeyId: 'AKIDLOCAL' });
    expect(standIn.reads('tg/x')).toBe(1);
  } finally {
    await standIn.close();
  }
});
