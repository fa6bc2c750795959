import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DependencyError } from '../errors.js';

/**
 * Runs one DynamoDB call. A failed condition comes back as `undefined` for the
 * caller to turn into 404 or 409; any other failure becomes a
 * `DependencyError` (500) with the SDK error as its cause, for the log only.
 */
export async function sendToStorage<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw new DependencyError('storage_failed', 'storage call failed', { cause: error });
  }
}
