import net from 'node:net';

/**
 * Tests reach only the loopback interface: any other connection fails at
 * once, so a test that would silently depend on the internet breaks here.
 */
const loopback = new Set(['127.0.0.1', '::1', 'localhost']);
const originalConnect = net.Socket.prototype.connect;

net.Socket.prototype.connect = function connect(this: net.Socket, ...args: unknown[]) {
  const [first, second] = args;
  const options =
    typeof first === 'object' && first !== null && !Array.isArray(first)
      ? (first as net.NetConnectOpts)
      : undefined;
  const host =
    options && 'host' in options
      ? options.host
      : typeof second === 'string'
        ? second
        : options && 'path' in options
          ? 'localhost'
          : undefined;
  if (host !== undefined && !loopback.has(host)) {
    throw new Error(`test tried to reach ${host}: tests use 127.0.0.1 only`);
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
