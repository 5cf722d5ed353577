// The two names of @aws-sdk/client-sts the gate uses (shared/vendors/amazon-connect-role.ts), from
// the package's own ES modules, for the function bundles only (infra/bundle-aliases.ts): the package
// index's `export *`, reached through a lazy import, would keep every STS command.
export { AssumeRoleCommand } from '../../node_modules/@aws-sdk/client-sts/dist-es/commands/AssumeRoleCommand.js';
export { STSClient } from '../../node_modules/@aws-sdk/client-sts/dist-es/STSClient.js';
