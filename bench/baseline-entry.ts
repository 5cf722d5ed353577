/**
 * The baseline bundle: only what every gate function must carry (middy, the Secrets Manager
 * client, the DynamoDB client for the shared state, the Amazon Connect and STS clients for
 * Connect queues), built with the same esbuild options as the
 * functions. A function bundle is compared with this one, not with zero.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import middy from '@middy/core';

const secrets = new SecretsManagerClient({});
const table = new DynamoDBClient({});
/** Amazon Connect through the AWS SDK (an assumed role through STS): every function carries both clients, loaded at first use. */
const connectClients = async () => {
  const sdk = await import('./baseline-connect');
  return [new sdk.ConnectClient({}), new sdk.STSClient({}), sdk.GetCurrentMetricDataCommand, sdk.DescribeQueueCommand, sdk.AssumeRoleCommand].length;
};

export const handler = middy().handler(async () => ({ secrets: typeof secrets.send, table: typeof table.send, connect: await connectClients() }));
