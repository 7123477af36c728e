/**
 * A real webhook receiver for notification tests: an HTTP server on loopback that checks each
 * delivery's signature, records it, and dedupes on the notification id as a real receiver would.
 * It can answer 503, stop listening (connection refused) and listen again on the same port, and
 * hold its answer to a given type (so a test can kill the worker while the delivery is open).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { NOTIFICATION_ID_HEADER, SIGNATURE_HEADER } from '../../src/domain/notify/headers';
import type { ReleaseNotification } from '../../src/domain/notify/notification';
import { signatureValid } from '../../src/notify/signature';

export interface Delivery {
  notification: ReleaseNotification;
  signatureValid: boolean;
  idHeader: string | undefined;
  receivedAt: number;
}

export type ReceiverMode = 'up' | '503';

export class WebhookReceiver {
  readonly deliveries: Delivery[] = [];
  /** 503 answers given (each a delivery the receiver did not take). */
  refused = 0;
  mode: ReceiverMode = 'up';
  /** Deliveries of this type are recorded, then answered only after `holdMs`. */
  holdType?: string;
  holdMs = 0;
  private server?: http.Server;
  private port = 0;

  constructor(private readonly secret: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/releases`;
  }

  /** Starts listening (on the port it had before, if it had one). */
  listen(): Promise<void> {
    const server = http.createServer((req, res) => this.receive(req, res));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        this.port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  /** Stops listening: deliveries now meet a refused connection. */
  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  }

  /** Each notification once, in the order it first arrived. */
  firstArrivals(): Delivery[] {
    const seen = new Set<string>();
    return this.deliveries.filter((d) => !seen.has(d.notification.id) && seen.add(d.notification.id));
  }

  /** Deliveries of an id that had arrived before. */
  duplicates(): Delivery[] {
    const seen = new Set<string>();
    return this.deliveries.filter((d) => seen.has(d.notification.id) || !seen.add(d.notification.id));
  }

  /** The type of each notification as first received; a stage entered names its stage (`stage-entered bake`). */
  types(): string[] {
    return this.firstArrivals().map(({ notification: n }) =>
      n.type === 'stage-entered' ? `${n.type} ${String(n.details.stage)}` : n.type,
    );
  }

  private receive(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (this.mode === '503') {
        this.refused++;
        res.writeHead(503).end('down for maintenance');
        return;
      }
      const body = Buffer.concat(chunks);
      const notification = JSON.parse(body.toString('utf8')) as ReleaseNotification;
      this.deliveries.push({
        notification,
        signatureValid: signatureValid(body, header(req, SIGNATURE_HEADER), this.secret),
        idHeader: header(req, NOTIFICATION_ID_HEADER),
        receivedAt: Date.now(),
      });
      const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      if (notification.type === this.holdType) setTimeout(answer, this.holdMs);
      else answer();
    });
  }
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
