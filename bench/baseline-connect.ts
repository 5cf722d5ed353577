/**
 * The Amazon Connect and STS clients, as the baseline and floor bundles carry them: behind a module
 * of their own, imported at first use, the way shared/vendors/amazon-connect.ts loads its SDK glue
 * (a dynamic import of the packages themselves would bundle every command).
 */
export { ConnectClient, DescribeQueueCommand, GetCurrentMetricDataCommand } from '@aws-sdk/client-connect';
export { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
