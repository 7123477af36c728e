/**
 * Entry point of one engine process, started by the fleet daemon (./../instances/process-launcher.ts).
 * Reads its spec from ENGINE_SPEC, listens on an ephemeral loopback port, and reports over IPC:
 * `listening` (with the port), `ready` when initialization finished, `fatal` before crashing.
 * SIGTERM: stop accepting connections, finish in-flight requests, exit 0.
 * When the daemon goes away (IPC channel closes) the process exits at once, so no orphan survives.
 */
import { createLogger } from '../logger';
import { createGuardedServer } from '../guarded-server';
import { listen } from '../http';
import { Engine } from './engine-server';
import { EngineSpecSchema, type EngineMessage } from './engine-spec';

function send(message: EngineMessage): void {
  if (process.connected && process.send) process.send(message);
}

async function main(): Promise<void> {
  const rootLogger = createLogger(process.env.LOG_LEVEL ?? 'info', 'fleet-engine');
  const parsed = EngineSpecSchema.safeParse(JSON.parse(process.env.ENGINE_SPEC ?? 'null'));
  if (!parsed.success) {
    rootLogger.fatal({ issues: parsed.error.issues }, 'ENGINE_SPEC is missing or invalid');
    process.exit(2);
  }
  const spec = parsed.data;
  const log = rootLogger.child({ accountId: spec.accountId, version: spec.version, instanceId: spec.instanceId });

  // Ctrl-C in a terminal reaches the whole process group; the daemon decides when engines stop.
  process.on('SIGINT', () => undefined);
  process.on('disconnect', () => {
    log.warn('daemon went away; exiting');
    process.exit(1);
  });

  const engine = new Engine(
    spec,
    {
      onReady: () => send({ type: 'ready' }),
      onFatal: (error) => {
        send({ type: 'fatal', error: error.message });
        process.stderr.write(`fatal: ${error.message}\n`);
        // Give the IPC message a moment to leave before the crash.
        setTimeout(() => process.exit(1), 20);
      },
    },
    log,
  );
  const server = createGuardedServer('engine', log, (req, res) => engine.handle(req, res, req.url ?? '/'));
  server.keepAliveTimeout = 65_000;
  const port = await listen(server, 0);
  log.info({ port }, 'engine listening');
  send({ type: 'listening', port });
  engine.start();

  let stopping = false;
  process.on('SIGTERM', () => {
    if (stopping) return;
    stopping = true;
    log.info({ inFlight: engine.stats().inFlight }, 'SIGTERM: no new connections; finishing in-flight requests');
    server.close();
    void engine.shutdown().then(() => {
      server.closeAllConnections();
      engine.dispose();
      log.info('in-flight requests finished; exiting');
      process.exit(0);
    });
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`engine failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
