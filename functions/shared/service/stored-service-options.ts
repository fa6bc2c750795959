import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { JwksCache } from 'aws-jwt-verify/jwk';
import type { Definition } from '../definition/schema.js';
import type { Logger } from '../logging/logger.js';
import type { NarrowTokenSource } from './service-handler.js';

/** What a service that keeps its data in its own DynamoDB table is built from. */
export interface StoredServiceOptions {
  /** The service's own DynamoDB table (`TABLE_NAME`). */
  readonly tableName: string;
  readonly documentClient: DynamoDBDocumentClient;
  /** The validated definition; the service's audience and routes come from it. */
  readonly definition: Definition;
  /** The exchange's issuer and JWKS, whose narrow tokens the service accepts. */
  readonly narrowToken: NarrowTokenSource;
  /** @default a redacting logger named after the service */
  readonly logger?: Logger;
  /** One JWKS cache for narrow and pass-through tokens. @default an https-only cache */
  readonly jwksCache?: JwksCache;
  /** Allow http JWKS URIs (local stack only). @default false */
  readonly allowHttp?: boolean;
  /** The clock for `createdAt` and `updatedAt`. @default () => new Date() */
  readonly now?: () => Date;
}
