/**
 * The library floor: the baseline (middy, the Secrets Manager, DynamoDB, Connect and STS clients) plus the
 * libraries the functions carry by the project's rules and contracts, with none of the gate's own
 * code: zod/mini with its English messages and one schema, Powertools Logger and Metrics, and jose's
 * SignJWT (Kore.ai's JWT must be signed with a maintained JOSE library, vendor-contracts.md),
 * loaded the way the Kore.ai adapter loads it. A function bundle minus this row is what the
 * gate's own code and schemas cost.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import * as z from 'zod/mini';
import '../shared/zod-locale';

const secrets = new SecretsManagerClient({});
const table = new DynamoDBClient({});
/** Amazon Connect through the AWS SDK (an assumed role through STS): every function carries both clients, loaded at first use. */
const connectClients = async () => {
  const sdk = await import('./baseline-connect');
  return [new sdk.ConnectClient({}), new sdk.STSClient({}), sdk.GetCurrentMetricDataCommand, sdk.DescribeQueueCommand, sdk.AssumeRoleCommand].length;
};
const logger = new Logger({ serviceName: 'floor' });
const input = z.object({ id: z.string().check(z.minLength(1)), n: z.optional(z.number()) });

export const handler = middy().handler(async (event: unknown) => {
  const { SignJWT } = await import('../shared/vendors/koreai-jwt');
  logger.info('floor', { parsed: input.safeParse(event).success });
  return { secrets: typeof secrets.send, table: typeof table.send, connect: await connectClients(), metrics: typeof Metrics, jwt: typeof SignJWT };
});
