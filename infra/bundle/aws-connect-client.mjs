// The three names of @aws-sdk/client-connect the gate uses (shared/vendors/amazon-connect-sdk.ts),
// from the package's own ES modules, for the function bundles only (infra/bundle-aliases.ts).
// The package index re-exports everything with `export *`; reached through the lazy import of the
// SDK glue, esbuild would keep all of it (every command, the aggregated client): about 100 KiB more.
export { ConnectClient } from '../../node_modules/@aws-sdk/client-connect/dist-es/ConnectClient.js';
export { DescribeQueueCommand } from '../../node_modules/@aws-sdk/client-connect/dist-es/commands/DescribeQueueCommand.js';
export { GetCurrentMetricDataCommand } from '../../node_modules/@aws-sdk/client-connect/dist-es/commands/GetCurrentMetricDataCommand.js';
