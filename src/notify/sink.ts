import type { ReleaseNotification } from '../domain/notify/notification';
import type { SinkName } from '../domain/notify/outbox';

/** Where notifications go. `deliver` resolves once the sink has it; it throws when the sink is down. */
export interface NotificationSink {
  name: SinkName;
  /** Where it delivers, for logs (no secrets). */
  target: string;
  deliver(notification: ReleaseNotification): Promise<void>;
}

/** A sink's answer that is not a success, or no answer. */
export class SinkDown extends Error {
  override name = 'SinkDown';
}

/** Each request gets this long; a sink that does not answer counts as down. */
export const SINK_TIMEOUT_MS = 10_000;

/** POSTs a JSON body; resolves on a 2xx answer, throws SinkDown otherwise. */
export async function postJson(url: string, body: string, headers: Record<string, string>): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(SINK_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new SinkDown(`no answer from ${safeUrl(url)}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) throw new SinkDown(`HTTP ${response.status} from ${safeUrl(url)}: ${text.slice(0, 200)}`);
}

/** A URL for logs: a Slack webhook's path is its secret. */
export function safeUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.hostname.endsWith('slack.com') ? '/…' : parsed.pathname}`;
}
