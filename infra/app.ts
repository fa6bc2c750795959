import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { NarrowgateStack } from './narrowgate-stack.js';
import { readStackConfig } from './stack-config.js';

/**
 * `cdk synth` / `cdk deploy` entry point (see `cdk.json`). The stack is
 * environment-agnostic unless CDK_DEFAULT_ACCOUNT/REGION are set, so a
 * synth needs no credentials; `cdk deploy` fills them in from the profile.
 */
const app = new App();
const config = readStackConfig((key) => app.node.tryGetContext(key));
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
