/**
 * The local inbox: notifications kept in memory by the `npm start` process (its worker delivers,
 * its release board serves them at /inbox). Each id once; the newest INBOX_LIMIT kept.
 */
import type { ReleaseNotification } from '../domain/notify/notification';
import type { NotificationSink } from './sink';

export const INBOX_LIMIT = 500;

export interface InboxEntry {
  receivedAt: string;
  notification: ReleaseNotification;
}

export class NotificationInbox {
  private readonly entries: InboxEntry[] = [];
  private readonly ids = new Set<string>();

  /** Keeps a notification; one already there (a repeated delivery) is ignored. */
  add(notification: ReleaseNotification, now = new Date()): void {
    if (this.ids.has(notification.id)) return;
    this.ids.add(notification.id);
    this.entries.push({ receivedAt: now.toISOString(), notification });
    while (this.entries.length > INBOX_LIMIT) this.ids.delete(this.entries.shift()!.notification.id);
  }

  /** Newest first. */
  list(): InboxEntry[] {
    return [...this.entries].reverse();
  }

  sink(): NotificationSink {
    return {
      name: 'inbox',
      target: 'the npm start inbox (/inbox on the release board)',
      deliver: async (notification) => this.add(notification),
    };
  }
}
