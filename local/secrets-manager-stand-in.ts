/**
 * A Secrets Manager compatible endpoint on loopback: enough of the JSON 1.1 protocol for the
 * real SecretsManagerClient's GetSecretValue, so the same SDK code path runs locally as in AWS
 * (point it here with AWS_ENDPOINT_URL_SECRETS_MANAGER). It answers only requests signed with its
 * access key (docs/operators/running-locally.md, "Only their gates"): the secrets are vendor
 * credentials, and any local user can reach a loopback port.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseSecretArn } from '../shared/secret-arn';
import { type LocalAccessKey, newLocalAccessKey } from './access-key';
import { signedOnly } from './signed-requests';
import { parseJsonOrUndefined, sendJson } from './simulators/http-helpers';

export interface SecretsManagerStandIn {
  url: string;
  /** The only key whose signed requests are answered. */
  accessKey: LocalAccessKey;
  /** Replace or add a secret while running (e.g. a rotated callers secret). */
  setSecret(name: string, value: unknown): void;
  /** How many GetSecretValue calls each secret received. */
  reads(name: string): number;
  close(): Promise<void>;
}

const region = 'us-east-1';
const account = '000000000000';

export interface SecretsManagerStandInOptions {
  /** Default: a new random key. */
  accessKey?: LocalAccessKey;
  /** Default 0: a free port. */
  port?: number;
}

export async function startSecretsManagerStandIn(secrets: Record<string, unknown>, options: SecretsManagerStandInOptions = {}): Promise<SecretsManagerStandIn> {
  const accessKey = options.accessKey ?? newLocalAccessKey();
  const values = new Map<string, string>();
  const readCounts = new Map<string, number>();
  const setSecret = (name: string, value: unknown) => values.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  for (const [name, value] of Object.entries(secrets)) setSecret(name, value);

  const server = createServer(
    signedOnly(accessKey, 'secretsmanager', (request, response, bodyBytes) => {
      const target = String(request.headers['x-amz-target'] ?? '');
      if (request.method !== 'POST' || target !== 'secretsmanager.GetSecretValue') {
        return sendAwsError(response, 400, 'InvalidRequestException', 'only GetSecretValue is served here');
      }
      const body = parseJsonOrUndefined(bodyBytes.toString('utf8')) as { SecretId?: unknown } | undefined;
      const secretId = String(body?.SecretId ?? '');
      // The secrets file may be keyed by the name or by the full ARN the config names.
      const name = values.has(secretId) ? secretId : secretName(secretId);
      const value = values.get(name);
      if (value === undefined) return sendAwsError(response, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      readCounts.set(name, (readCounts.get(name) ?? 0) + 1);
      sendJson(
        response,
        200,
        {
          ARN: `arn:aws:secretsmanager:${region}:${account}:secret:${name}-AbCdEf`,
          Name: name,
          SecretString: value,
          VersionId: '00000000-0000-0000-0000-000000000001',
          VersionStages: ['AWSCURRENT'],
          CreatedDate: 1_700_000_000,
        },
        'application/x-amz-json-1.1',
      );
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject); // e.g. EADDRINUSE: the caller decides what a busy port means
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port: boundPort } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${boundPort}`,
    accessKey,
    setSecret,
    reads: (name) => readCounts.get(name) ?? 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Accept a name or an ARN (with or without the six-character suffix AWS adds). */
function secretName(secretId: string): string {
  return parseSecretArn(secretId)?.name ?? secretId;
}

function sendAwsError(response: import('node:http').ServerResponse, status: number, type: string, message: string) {
  response.setHeader('x-amzn-ErrorType', type);
  sendJson(response, status, { __type: type, message }, 'application/x-amz-json-1.1');
}
