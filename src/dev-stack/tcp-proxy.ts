/**
 * A TCP proxy that can cut the line: the chaos run and the fault tests put it between the worker
 * and the fleet's control plane to make the platform unreachable on purpose. While cut, every
 * open connection is reset and new ones are closed at once, as a network partition would look
 * to an HTTP client; `restore()` lets connections through again.
 */
import net from 'node:net';

export interface TcpProxy {
  /** `http://127.0.0.1:<port>`: where clients connect instead of the target. */
  url: string;
  port: number;
  /** True while the line is cut. */
  readonly isCut: boolean;
  cut(): void;
  restore(): void;
  /** Cuts for `ms` milliseconds, then restores. */
  cutFor(ms: number): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }, listenPort = 0): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let cut = false;

  const server = net.createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => undefined); // a reset on one side closes the other below
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  const proxy: TcpProxy = {
    url: `http://127.0.0.1:${port}`,
    port,
    get isCut() {
      return cut;
    },
    cut() {
      cut = true;
      for (const socket of open) socket.resetAndDestroy();
    },
    restore() {
      cut = false;
    },
    async cutFor(ms) {
      proxy.cut();
      await new Promise((resolve) => setTimeout(resolve, ms));
      proxy.restore();
    },
    async close() {
      proxy.cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
