/**
 * A release's notifications on their way out: the sinks it delivers to (fixed when it starts),
 * the outbox of notifications not yet delivered to every sink, and how far each sink has got.
 * The workflow's courier delivers the outbox in order, in batches; these pure functions say what
 * to send next and what a delivery changed. The release's own steps never wait on them.
 */
import { z } from 'zod';
import type { ReleaseEvent } from '../release/events';
import { notificationOf, type NotifiedRelease, type ReleaseNotification } from './notification';

export const SINK_NAMES = ['webhook', 'slack', 'inbox'] as const;
export type SinkName = (typeof SINK_NAMES)[number];

/**
 * Undelivered notifications kept at most; when a sink is down that long the oldest are dropped
 * (counted in `dropped`, shown in the status). Far above what a release produces in a day.
 */
export const OUTBOX_LIMIT = 200;
/** Notifications sent in one delivery. */
export const BATCH_SIZE = 20;

export interface DeliveryProblem {
  sink: SinkName;
  message: string;
  at: number;
}

export interface ReleaseNotify {
  sinks: SinkName[];
  /** In `seq` order; each is still owed to at least one sink. */
  outbox: ReleaseNotification[];
  /** Per sink: the `seq` of the last notification it acknowledged (0: none yet). */
  delivered: Partial<Record<SinkName, number>>;
  /** Notifications dropped undelivered because the outbox was full. */
  dropped: number;
  /** The latest failed delivery; cleared once every sink is caught up. */
  lastError?: DeliveryProblem;
}

/** What one delivery did, per sink: how far it got (seq), and why it stopped short. */
export interface SinkReport {
  sink: SinkName;
  deliveredThrough: number;
  error?: string;
}

export interface DeliveryBatch {
  releaseId: string;
  notifications: ReleaseNotification[];
  /** Per sink: deliver only notifications after this seq. */
  after: Partial<Record<SinkName, number>>;
}

export function newNotify(sinks: readonly SinkName[]): ReleaseNotify | undefined {
  if (sinks.length === 0) return undefined;
  return { sinks: [...sinks], outbox: [], delivered: Object.fromEntries(sinks.map((s) => [s, 0])), dropped: 0 };
}

/** The notifications of `events` added to the outbox (the oldest dropped past OUTBOX_LIMIT). */
export function queueNotifications(
  notify: ReleaseNotify,
  release: NotifiedRelease,
  events: readonly ReleaseEvent[],
): ReleaseNotify {
  const added = events.flatMap((event) => notificationOf(release, event) ?? []);
  if (added.length === 0) return notify;
  const outbox = [...notify.outbox, ...added];
  const over = Math.max(0, outbox.length - OUTBOX_LIMIT);
  return { ...notify, outbox: outbox.slice(over), dropped: notify.dropped + over };
}

/** The next delivery: the oldest notifications some sink still needs, or undefined when all are delivered. */
export function nextBatch(notify: ReleaseNotify | undefined, releaseId: string): DeliveryBatch | undefined {
  if (!notify || notify.outbox.length === 0) return undefined;
  return { releaseId, notifications: notify.outbox.slice(0, BATCH_SIZE), after: { ...notify.delivered } };
}

/** What a delivery changed: each sink's progress, notifications every sink has dropped from the outbox. */
export function recordDelivery(notify: ReleaseNotify, reports: readonly SinkReport[], now: number): ReleaseNotify {
  const delivered = { ...notify.delivered };
  let lastError = notify.lastError;
  for (const report of reports) {
    if (!notify.sinks.includes(report.sink)) continue;
    delivered[report.sink] = Math.max(delivered[report.sink] ?? 0, report.deliveredThrough);
    if (report.error !== undefined) lastError = { sink: report.sink, message: report.error.slice(0, 500), at: now };
  }
  const everywhere = Math.min(...notify.sinks.map((sink) => delivered[sink] ?? 0));
  const outbox = notify.outbox.filter((n) => n.seq > everywhere);
  const next: ReleaseNotify = { ...notify, delivered, outbox };
  if (outbox.length === 0 || lastError === undefined) delete next.lastError;
  else next.lastError = lastError;
  return next;
}

/** Whether the delivery reported a failure (the courier then waits before trying again). */
export function deliveryFailed(reports: readonly SinkReport[]): boolean {
  return reports.some((report) => report.error !== undefined);
}

/** Every sink has every notification (or there are none to deliver). */
export function outboxEmpty(notify: ReleaseNotify | undefined): boolean {
  return !notify || notify.outbox.length === 0;
}

/** What the `status` answer says about undelivered notifications. */
export interface UndeliveredView {
  sinks: SinkName[];
  count: number;
  /** The oldest undelivered notification: its id, type and time. */
  oldest?: { id: string; type: string; at: string };
  lastError?: { sink: SinkName; message: string; at: string };
  /** Dropped undelivered because the outbox was full. */
  dropped?: number;
}

export function undeliveredView(notify: ReleaseNotify): UndeliveredView {
  const oldest = notify.outbox[0];
  return {
    sinks: notify.sinks,
    count: notify.outbox.length,
    ...(oldest ? { oldest: { id: oldest.id, type: oldest.type, at: oldest.at } } : {}),
    ...(notify.lastError
      ? { lastError: { ...notify.lastError, at: new Date(notify.lastError.at).toISOString() } }
      : {}),
    ...(notify.dropped > 0 ? { dropped: notify.dropped } : {}),
  };
}

// ---- read back from continue-as-new (see ../release/carried.ts)

const Ms = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const SinkNameSchema = z.enum(SINK_NAMES);

export const NotificationSchema = z.object({
  id: z.string().min(1).max(1000),
  seq: z.number().int().positive(),
  type: z.string().min(1).max(100),
  releaseId: z.string().min(1),
  version: z.string().min(1),
  at: z.string(),
  text: z.string(),
  details: z.record(z.string(), z.unknown()),
}) satisfies z.ZodType<ReleaseNotification>;

export const ReleaseNotifySchema = z.object({
  sinks: z.array(SinkNameSchema).min(1).max(SINK_NAMES.length),
  outbox: z.array(NotificationSchema).max(OUTBOX_LIMIT),
  delivered: z.partialRecord(SinkNameSchema, Ms),
  dropped: Ms,
  lastError: z.object({ sink: SinkNameSchema, message: z.string(), at: Ms }).optional(),
}) satisfies z.ZodType<ReleaseNotify>;
