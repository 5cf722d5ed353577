/**
 * A synthesized function's bundle, found in the cloud assembly by the asset its template
 * points at, and run in a child process with only what Lambda would give it: the template's
 * environment, Lambda's own variables, and (for the local stand-ins) endpoints and dummy keys.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { SynthResult } from './synth-gate';
import { resource } from './template-values';

/** The directory CDK staged the function's code in (what `cdk deploy` zips and uploads). */
export function bundleDirectory(synth: SynthResult, fn: NodejsFunction): string {
  const { S3Key } = resource(synth.template, fn).Properties.Code;
  const manifest = JSON.parse(readFileSync(path.join(synth.assembly.directory, `${synth.stack.stackName}.assets.json`), 'utf8'));
  const asset = Object.values(manifest.files as Record<string, { source: { path: string }; destinations: Record<string, { objectKey: string }> }>).find(
    (file) => Object.values(file.destinations).some((destination) => destination.objectKey === S3Key),
  );
  if (!asset) throw new Error(`no asset for ${S3Key}`);
  return path.join(synth.assembly.directory, asset.source.path);
}

export interface BundledLambda {
  invoke<T = any>(event: unknown): Promise<T>;
  /** The exported handler as the runtime sees it: Node.js 24 takes only async handlers of at most two parameters. */
  handlerShape: { parameters: number; async: boolean };
  /** Everything the function wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

export async function startBundledLambda(synth: SynthResult, fn: NodejsFunction, extraEnv: Record<string, string>): Promise<BundledLambda> {
  const props = resource(synth.template, fn).Properties;
  const directory = bundleDirectory(synth, fn);
  const env = {
    PATH: process.env.PATH ?? '',
    ...props.Environment.Variables,
    LAMBDA_TASK_ROOT: directory,
    // The runtime the template names: the runner applies that runtime's rules (see lambda-runner.cjs).
    AWS_EXECUTION_ENV: `AWS_Lambda_${props.Runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: `transfer-gate-${fn.node.scope!.node.id}`,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(props.MemorySize),
    AWS_LAMBDA_LOG_FORMAT: props.LoggingConfig.LogFormat,
    AWS_REGION: 'eu-west-1',
    AWS_DEFAULT_REGION: 'eu-west-1',
    ...extraEnv,
  };
  const child = fork(path.join(__dirname, 'lambda-runner.cjs'), [], { env, silent: true, execArgv: [] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const { handlerShape } = await nextMessage(
    child,
    (message) => message.ready === true,
    () => output,
  );

  let nextId = 0;
  return {
    handlerShape,
    async invoke(event) {
      const id = ++nextId;
      const reply = nextMessage(
        child,
        (message) => message.id === id,
        () => output,
      );
      child.send({ id, event });
      const message = await reply;
      if (message.error) throw Object.assign(new Error(message.error.message), { name: message.error.name });
      return message.result;
    },
    output: () => output,
    stop: () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill()))),
  };
}

function nextMessage(child: ChildProcess, matches: (message: any) => boolean, output: () => string): Promise<any> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: any) => {
      if (!matches(message)) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null) => reject(new Error(`the function exited (${code}):\n${output()}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
