/**
 * One gate function: a NodejsFunction bundled by esbuild (minified, AWS SDK inside, source maps)
 * with the validated gate.config.json beside the code (the runtime reads it from
 * LAMBDA_TASK_ROOT; an environment variable would hit Lambda's 4 KB limit) and any other file the
 * function reads there (the HTTP function's openapi.json), its own log group,
 * and a role that can write that log group, send traces, read the secrets it uses, read the AWS
 * vendors its queues name (Amazon Connect) and the items of the shared state table: nothing else.
 */
import path from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { metricsServiceName } from '../../shared/scheduled/metric-names';
import { bundleAliasArgs, bundleTarget } from '../bundle-aliases';
import { projectPath, projectRoot } from '../project-paths';
import type { GateSecrets } from './gate-secrets';
import type { GateVendorAccess } from './gate-vendor-access';
import { type GateStateTable, stateTableEnvironmentVariable } from './gate-state-table';

/**
 * nodejs24.x: nodejs22.x is deprecated on 2027-04-30. Node.js 24 accepts only async handlers of
 * at most two parameters (callback handlers fail with Runtime.CallbackHandlerDeprecated); middy 6
 * wraps each handler as `async (event, context)`, and test/infra/bundles.test.ts runs the bundles
 * with that rule.
 */
export const gateRuntime = Runtime.NODEJS_24_X;

export interface GateFunctionProps {
  /** The handler file, from the project root; it exports `handler`. */
  readonly entry: string;
  /** What the function is for, shown in the Lambda console. */
  readonly description: string;
  /** The validated gate.config.json, copied into the bundle as gate.config.json. */
  readonly configFile: string;
  /** The secrets the config names; the function may read the queues' secrets and no others. */
  readonly secrets: GateSecrets;
  /**
   * AWS permissions for vendors that are AWS services (Amazon Connect), scoped to the queues' resources.
   * @default - none
   */
  readonly vendorAccess?: GateVendorAccess;
  /** The shared state table: its name in GATE_STATE_TABLE, and its items readable and writable. */
  readonly stateTable: GateStateTable;
  /**
   * Also read the callers secret (the function authenticates callers).
   * @default false
   */
  readonly readsCallersSecret?: boolean;
  readonly timeout: Duration;
  /** Memory in MB. */
  readonly memorySize: number;
  readonly logRetention: RetentionDays;
  /**
   * Caps concurrent executions, and so the load this function puts on vendors.
   * @default - no cap (the account's unreserved concurrency)
   */
  readonly reservedConcurrency?: number;
  /**
   * Files of the project copied beside the bundle under their own names (the function reads them
   * from LAMBDA_TASK_ROOT when it needs them), paths from the project root.
   * @default - none
   */
  readonly filesBesideBundle?: readonly string[];
  /** Extra environment variables. @default - none */
  readonly environment?: Record<string, string>;
}

export class GateFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: GateFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    // A role of our own instead of AWSLambdaBasicExecutionRole: writes to this log group only.
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: props.description });
    this.logGroup.grantWrite(role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: projectPath(props.entry),
      handler: 'handler',
      description: props.description,
      projectRoot,
      depsLockFilePath: projectPath('package-lock.json'),
      runtime: gateRuntime,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      reservedConcurrentExecutions: props.reservedConcurrency,
      role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      tracing: Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: metricsServiceName,
        // Stack traces in the logs point at the TypeScript sources, through the bundled source map.
        NODE_OPTIONS: '--enable-source-maps',
        [stateTableEnvironmentVariable]: props.stateTable.tableName,
        ...props.environment,
      },
      bundling: gateBundling(props.configFile, props.filesBesideBundle ?? [], props.vendorAccess?.leftOutPackages ?? []),
    });
    props.secrets.grantVendorRead(role);
    props.vendorAccess?.grantVendorAccess(role);
    if (props.readsCallersSecret) props.secrets.grantCallersRead(role);
    props.stateTable.grantStateAccess(role);

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments and PutTelemetryRecords accept no resource narrower than "*" (added by tracing: ACTIVE).',
    });
  }
}

function gateBundling(configFile: string, filesBesideBundle: readonly string[], leftOut: readonly string[]) {
  return {
    minify: true,
    sourceMap: true,
    sourceMapMode: SourceMapMode.DEFAULT,
    // Source maps are for stack traces; the sources themselves need not ship.
    sourcesContent: false,
    target: bundleTarget,
    format: OutputFormat.CJS,
    mainFields: ['module', 'main'],
    // The bundled SDK loads faster than the runtime's copy and is the version the tests ran.
    bundleAwsSDK: true,
    // The SDK's default credential chain swapped for environment credentials (bundle-aliases.ts).
    esbuildArgs: bundleAliasArgs(leftOut),
    // A vendor's SDK clients when the config names none of its queues (Amazon Connect's): never
    // imported then, so left to the runtime's copy of the SDK instead of carried (about 290 KiB).
    externalModules: [...leftOut],
    // esbuild's size table on every synth is noise; warnings and errors still show.
    logLevel: LogLevel.WARNING,
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      // The project's own files from inputDir (the project root, also inside a bundling container).
      afterBundling: (inputDir: string, outputDir: string) => [
        `cp ${shellQuote(configFile)} ${shellQuote(`${outputDir}/gate.config.json`)}`,
        ...filesBesideBundle.map((file) => `cp ${shellQuote(`${inputDir}/${file}`)} ${shellQuote(`${outputDir}/${path.posix.basename(file)}`)}`),
      ],
    },
  };
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
