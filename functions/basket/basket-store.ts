import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { DependencyError } from '../shared/errors.js';
import { sendToStorage } from '../shared/service/storage-call.js';
import type { BasketLine } from './line-schema.js';

/**
 * The basket's table layout (`pk` + `sk`, both strings), one item per line:
 *
 * | pk | sk | attributes |
 * | --- | --- | --- |
 * | `BASKET#<sha256([iss, sub]), b64url>` | `LINE#<eventId>` | `eventId`, `quantity`, `updatedAt` |
 *
 * One item per line is what keeps racing writes safe without transactions:
 * two requests changing different lines write different items, so both
 * survive; two changing the same line leave the last writer's quantity,
 * which is what each asked for.
 *
 * The owner is the issuer and the subject together: a `sub` is unique only
 * within its issuer, and two issuers may well hand out the same one (a
 * client id, for client-credentials tokens). They are hashed as a JSON
 * array, an encoding no two different pairs share (no separator a value
 * could contain), so that keys have a fixed length whatever the issuer
 * writes in `sub`, and so that table exports and key-bearing errors do not
 * carry raw subjects.
 */
export function basketPartition(owner: BasketOwner): string {
  const encoded = JSON.stringify([owner.subjectIssuer, owner.subject]);
  return `BASKET#${createHash('sha256').update(encoded, 'utf8').digest('base64url')}`;
}

/** Whose basket: the verified subject and the issuer that vouched for it. */
export interface BasketOwner {
  readonly subjectIssuer: string;
  readonly subject: string;
}

/** The `sk` of the line for event `eventId`. */
export function lineSortKey(eventId: string): string {
  return `LINE#${eventId}`;
}

// BatchWriteItem takes at most 25 requests; unprocessed ones are retried
// a few times before clearing gives up with a 500.
const batchSize = 25;
const batchAttempts = 5;

export interface BasketStoreOptions {
  readonly documentClient: DynamoDBDocumentClient;
  /** The basket's table. */
  readonly tableName: string;
  /** The clock for `updatedAt`. @default () => new Date() */
  readonly now?: () => Date;
}

/** Storage of baskets, one partition per owner (issuer and subject). */
export function createBasketStore(options: BasketStoreOptions) {
  const { documentClient, tableName } = options;
  const now = options.now ?? (() => new Date());

  async function readLines(owner: BasketOwner): Promise<BasketLine[]> {
    const lines: BasketLine[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await sendToStorage(() =>
        documentClient.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :line)',
            ExpressionAttributeValues: { ':pk': basketPartition(owner), ':line': 'LINE#' },
            ExclusiveStartKey: startKey,
            ConsistentRead: true,
          }),
        ),
      );
      for (const item of page?.Items ?? []) lines.push(fromItem(item));
      startKey = page?.LastEvaluatedKey;
    } while (startKey);
    return lines;
  }

  return {
    /** The owner's lines in event-id order; empty when there is no basket. */
    lines: readLines,

    /** Sets a line's quantity; `created` says whether the line is new. */
    async putLine(
      owner: BasketOwner,
      eventId: string,
      quantity: number,
    ): Promise<{ line: BasketLine; created: boolean }> {
      const line: BasketLine = { eventId, quantity, updatedAt: now().toISOString() };
      const result = await sendToStorage(() =>
        documentClient.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk: basketPartition(owner), sk: lineSortKey(eventId), ...line },
            ReturnValues: 'ALL_OLD',
          }),
        ),
      );
      return { line, created: result?.Attributes === undefined };
    },

    /** Removes a line; `false` when the basket had no such line. */
    async deleteLine(owner: BasketOwner, eventId: string): Promise<boolean> {
      const result = await sendToStorage(() =>
        documentClient.send(
          new DeleteCommand({
            TableName: tableName,
            Key: { pk: basketPartition(owner), sk: lineSortKey(eventId) },
            ReturnValues: 'ALL_OLD',
          }),
        ),
      );
      return result?.Attributes !== undefined;
    },

    /**
     * Removes every line the basket holds when the call starts. Not atomic
     * (no transactions): a line put while clearing runs may survive it,
     * which loses nothing the client did not ask to lose.
     */
    async clear(owner: BasketOwner): Promise<void> {
      const pk = basketPartition(owner);
      const keys = (await readLines(owner)).map((line) => ({
        pk,
        sk: lineSortKey(line.eventId),
      }));
      for (let start = 0; start < keys.length; start += batchSize) {
        await deleteBatch(keys.slice(start, start + batchSize));
      }
    },
  };

  async function deleteBatch(keys: { pk: string; sk: string }[]): Promise<void> {
    let requests = keys.map((key) => ({ DeleteRequest: { Key: key } }));
    for (let attempt = 0; attempt < batchAttempts && requests.length > 0; attempt++) {
      // Back off before a retry: unprocessed items mean the table is throttling.
      if (attempt > 0) await sleep(25 * 2 ** attempt);
      const result = await sendToStorage(() =>
        documentClient.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } })),
      );
      requests = (result?.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
    if (requests.length > 0) {
      throw new DependencyError('storage_failed', 'lines left unprocessed while clearing');
    }
  }
}

export type BasketStore = ReturnType<typeof createBasketStore>;

function fromItem(item: Record<string, unknown>): BasketLine {
  return {
    eventId: String(item.eventId),
    quantity: Number(item.quantity),
    updatedAt: String(item.updatedAt),
  };
}
