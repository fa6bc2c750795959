import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Two AWS APIs answered on 127.0.0.1 so that a bundle's first request in a
 * fresh process goes through the real AWS SDK calls it makes on Lambda:
 * Lambda Invoke (the authorizer calling the exchange) and Secrets Manager
 * GetSecretValue (the exchange reading its key). Only what those calls need.
 */
export interface AwsStandIns {
  readonly url: string;
  close(): Promise<void>;
}

export async function startAwsStandIns(options: {
  /** Answers an Invoke payload, as the invoked function would. */
  invoke(payload: unknown): Promise<unknown>;
  /** The SecretString of AWSCURRENT. */
  secretString: string;
}): Promise<AwsStandIns> {
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');

    if (request.url?.includes('/invocations')) {
      const answer = await options.invoke(JSON.parse(body));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer));
      return;
    }

    const target = String(request.headers['x-amz-target'] ?? '');
    if (target === 'secretsmanager.GetSecretValue') {
      const { VersionStage } = JSON.parse(body) as { VersionStage?: string };
      if (VersionStage && VersionStage !== 'AWSCURRENT') {
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(
          JSON.stringify({ __type: 'ResourceNotFoundException', message: 'no version' }),
        );
        return;
      }
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(
        JSON.stringify({
          ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:bench',
          Name: 'bench',
          VersionId: 'v1',
          VersionStages: ['AWSCURRENT'],
          SecretString: options.secretString,
          CreatedDate: Math.floor(Date.now() / 1000) - 3600,
        }),
      );
      return;
    }
    response.writeHead(400).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
