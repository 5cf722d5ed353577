/**
 * Builds the app from its context: the config (validated first, so a bad config stops synth
 * before anything is bundled), the operator settings, the stack, and the cdk-nag rule packs
 * that fail synth on any finding not acknowledged with a reason.
 */
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { ConfigError } from '../shared/errors';
import { readOperatorSettings } from './settings';
import { type LoadStackConfigOptions, loadStackConfig } from './stack-config';
import { TransferGateStack } from './transfer-gate-stack';

export function buildGateApp(app: App, options: LoadStackConfigOptions = {}): TransferGateStack {
  const problems: string[] = [];
  const gateConfig = attempt(() => loadStackConfig(app.node.tryGetContext('config'), options), problems);
  const contextKeys = Object.keys(app.node.getAllContext());
  const settings = attempt(() => readOperatorSettings((key) => app.node.tryGetContext(key), contextKeys), problems);
  if (!gateConfig || !settings) throw new ConfigError(problems.join('\n'));

  const stack = new TransferGateStack(app, settings.stackName, {
    description: 'transfer-gate: can I transfer a live call to this queue now?',
    gateConfig,
    settings,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return stack;
}

/** Runs `load`, collecting a ConfigError's message, so that config and context problems are listed together. */
function attempt<T>(load: () => T, problems: string[]): T | undefined {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(error.message);
    return undefined;
  }
}
