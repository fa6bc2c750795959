import { localAwsSettings } from './dynamo.js';

/**
 * The process environment the local stack runs the functions' code under.
 * `NARROWGATE_MODE=local` is the one switch that allows http issuers and
 * JWKS; dummy credentials and a region keep the AWS SDK from looking for
 * real ones (nothing here ever reaches AWS). The log level defaults to
 * ERROR so the demo table stays readable; set POWERTOOLS_LOG_LEVEL to see
 * the functions' redacted JSON logs.
 */
export function applyLocalEnvironment(
  dynamoEndpoint: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): void {
  env.NARROWGATE_MODE = 'local';
  env.AWS_REGION = localAwsSettings.region;
  env.AWS_ACCESS_KEY_ID = localAwsSettings.credentials.accessKeyId;
  env.AWS_SECRET_ACCESS_KEY = localAwsSettings.credentials.secretAccessKey;
  env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  if (dynamoEndpoint) env.AWS_ENDPOINT_URL_DYNAMODB = dynamoEndpoint;
}
