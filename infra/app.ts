import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { NarrowgateStack } from './narrowgate-stack.js';
import { readStackConfig, type StackConfig, StackConfigError } from './stack-config.js';

/**
 * `cdk synth` / `cdk deploy` entry point (see `cdk.json`). The stack is
 * environment-agnostic unless CDK_DEFAULT_ACCOUNT/REGION are set, so a
 * synth needs no credentials; `cdk deploy` fills them in from the profile.
 */
const app = new App();
const config = readConfig(app);
if (config) {
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;

  new NarrowgateStack(app, String(app.node.tryGetContext('stackName') ?? 'Narrowgate'), {
    config,
    description: 'narrowgate: API gateway security where every hop checks a token made for it',
    ...(account && region ? { env: { account, region } } : {}),
  });

  // AwsSolutions findings fail the synth; accepted ones are acknowledged with a reason.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  app.synth();
}

/**
 * The configuration, or undefined after one line on stderr and exit code 1:
 * a bad flag is the user's to fix, and a stack trace would bury the line
 * that says how. The CDK CLI reports the non-zero exit as a failed synth.
 */
function readConfig(from: App): StackConfig | undefined {
  try {
    return readStackConfig((key) => from.node.tryGetContext(key));
  } catch (error) {
    if (!(error instanceof StackConfigError)) throw error;
    console.error(`narrowgate: ${error.message}`);
    process.exitCode = 1;
    return undefined;
  }
}
