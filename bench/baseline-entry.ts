/**
 * The baseline bundle: only what every gate function must carry (middy, the Secrets Manager
 * client, the DynamoDB client for the shared state), built with the same esbuild options as the
 * functions. A function bundle is compared with this one, not with zero.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import middy from '@middy/core';

const secrets = new SecretsManagerClient({});
const table = new DynamoDBClient({});

export const handler = middy().handler(async () => ({ secrets: typeof secrets.send, table: typeof table.send }));
