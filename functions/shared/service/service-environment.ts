import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isLocalMode, readRequiredEnv } from '../config/env.js';
import { loadEnvironmentDefinition } from '../definition/environment-definition.js';
import type { Definition } from '../definition/schema.js';
import type { NarrowTokenSource } from './service-handler.js';

/** Everything a service handler reads from its environment, read once. */
export interface ServiceEnvironment {
  /** `TABLE_NAME`: the service's own DynamoDB table. */
  readonly tableName: string;
  /** `NARROW_TOKEN_ISSUER` and `NARROW_TOKEN_JWKS_URI`: the exchange. */
  readonly narrowToken: NarrowTokenSource;
  /** The shop's definition with `NARROWGATE_ISSUERS` (pass-through routes). */
  readonly definition: Definition;
  /** `NARROWGATE_MODE=local`: http JWKS allowed. */
  readonly allowHttp: boolean;
}

/**
 * Reads a service's configuration, or throws naming the missing or invalid
 * variable, so that a bad deployment fails at initialisation.
 */
export function readServiceEnvironment(env: NodeJS.ProcessEnv = process.env): ServiceEnvironment {
  return {
    tableName: readRequiredEnv('TABLE_NAME', env),
    narrowToken: {
      issuer: readRequiredEnv('NARROW_TOKEN_ISSUER', env),
      jwksUri: readRequiredEnv('NARROW_TOKEN_JWKS_URI', env),
    },
    definition: loadEnvironmentDefinition(env),
    allowHttp: isLocalMode(env),
  };
}

/**
 * A DynamoDB document client. The SDK picks region, credentials and
 * `AWS_ENDPOINT_URL_DYNAMODB` (the local stack's dynalite) from the
 * environment; undefined attributes are dropped rather than refused.
 */
export function createDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
