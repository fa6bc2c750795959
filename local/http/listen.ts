import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Every local server binds to loopback only: nothing here is meant for a network. */
export const loopbackHost = '127.0.0.1';

/** A started server: its base URL and a way to stop it. */
export interface RunningServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1:`port` (0 picks a free port) and resolves once bound.
 * `close` also drops idle keep-alive connections, so shutdown never hangs.
 */
export async function listenOnLoopback(server: Server, port: number): Promise<RunningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, loopbackHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${loopbackHost}:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * Binds first and serves later: for a server whose own URL must be known
 * before its handler can be built (an issuer names itself in its tokens).
 * Answers 503 until `serve` is called.
 */
export async function listenBeforeServing(
  port: number,
): Promise<RunningServer & { serve(handler: RequestListener): void }> {
  let current: RequestListener = (_, response) => {
    response.writeHead(503).end();
  };
  const running = await listenOnLoopback(
    createServer((request, response) => current(request, response)),
    port,
  );
  return {
    ...running,
    serve: (handler) => {
      current = handler;
    },
  };
}
