/**
 * The CDK app (`npx cdk synth`, `npx cdk deploy`): see docs/operators/deploy.md for the context keys.
 * A bad gate.config.json or context value ends synth here with every problem listed.
 */
import { App } from 'aws-cdk-lib';
import { ConfigError } from '../shared/errors';
import { buildGateApp } from './gate-app';

const app = new App();
try {
  buildGateApp(app);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`transfer-gate: cannot synthesize.\n${error.message}\n`);
  process.exit(1);
}
app.synth();
