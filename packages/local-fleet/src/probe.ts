import http from 'node:http';
import type { FeatureAnswer, FeatureRequest } from './model';

interface FeatureBody {
  values?: Record<string, number>;
  instanceId?: string;
  version?: string;
  error?: string;
  message?: string;
}

export function featurePath(request: FeatureRequest): string {
  return `/features/${encodeURIComponent(request.useCase)}?entity=${encodeURIComponent(request.entity)}`;
}

/** Sends one feature request to `baseUrl` (an instance or a router) and reports what came back. */
export function fetchFeature(
  agent: http.Agent,
  baseUrl: string,
  request: FeatureRequest,
  timeoutMs: number,
): Promise<FeatureAnswer> {
  const started = performance.now();
  const url = new URL(baseUrl);
  const prefix = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return new Promise((resolve) => {
    const answer = (fields: Omit<FeatureAnswer, 'request' | 'latencyMs'>) =>
      resolve({ request, latencyMs: Math.round((performance.now() - started) * 100) / 100, ...fields });
    const req = http.get(
      { host: url.hostname, port: url.port || 80, path: prefix + featurePath(request), agent, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => answer({ ok: false, status: res.statusCode ?? 0, error: error.message }));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          let body: FeatureBody = {};
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as FeatureBody;
          } catch {
            answer({ ok: false, status, error: `answer is not JSON (status ${status})` });
            return;
          }
          const ok = status === 200 && typeof body.values === 'object' && body.values !== null;
          const who = {
            ...(body.instanceId ? { instanceId: body.instanceId } : {}),
            ...(body.version ? { version: body.version } : {}),
          };
          if (ok) answer({ ok, status, values: body.values, ...who });
          else answer({ ok: false, status, error: body.message ?? body.error ?? `status ${status}`, ...who });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) =>
      answer({ ok: false, status: 0, error: error.code ?? error.message }),
    );
  });
}

/** Runs `task` over `items` with at most `limit` at once, keeping the order of results. */
export async function mapWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
