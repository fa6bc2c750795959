import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { listenOnLoopback, type RunningServer } from './http/listen.js';

/** The local tables, one per service, as the stack makes them: pk (S, HASH) + sk (S, RANGE). */
export const localTableNames = {
  catalog: 'narrowgate-local-catalog',
  basket: 'narrowgate-local-basket',
} as const;

/**
 * The dummy credentials and region the SDK needs to sign requests. dynalite
 * checks no signature; they only keep the SDK from looking for real ones.
 */
export const localAwsSettings = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

export interface LocalDynamo extends RunningServer {
  /** A document client for this endpoint, as the services' factories take it. */
  readonly documentClient: DynamoDBDocumentClient;
}

/**
 * DynamoDB's wire protocol (dynalite) in memory on 127.0.0.1 with the
 * services' tables made. Everything is lost on close, on purpose: each start
 * begins from the seed.
 *
 * @param port 0 picks a free port.
 */
export async function startDynamo(port: number): Promise<LocalDynamo> {
  const running = await listenOnLoopback(
    dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }),
    port,
  );
  const client = new DynamoDBClient({ ...localAwsSettings, endpoint: running.url });
  for (const table of Object.values(localTableNames)) {
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
  }
  const documentClient = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return {
    ...running,
    documentClient,
    close: async () => {
      client.destroy();
      await running.close();
    },
  };
}
