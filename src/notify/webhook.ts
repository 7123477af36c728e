/**
 * The generic webhook: each notification POSTed as JSON, signed (HMAC-SHA256 of the raw body with
 * the shared secret), its id and type in headers too, so a receiver dedupes before parsing.
 */
import { NOTIFICATION_ID_HEADER, NOTIFICATION_TYPE_HEADER, SIGNATURE_HEADER } from '../domain/notify/headers';
import type { ReleaseNotification } from '../domain/notify/notification';
import { signBody } from './signature';
import { postJson, safeUrl, type NotificationSink } from './sink';

export function webhookSink(settings: { url: string; secret: string }): NotificationSink {
  return {
    name: 'webhook',
    target: safeUrl(settings.url),
    async deliver(notification: ReleaseNotification) {
      const body = JSON.stringify(notification);
      await postJson(settings.url, body, {
        [SIGNATURE_HEADER]: signBody(body, settings.secret),
        [NOTIFICATION_ID_HEADER]: notification.id,
        [NOTIFICATION_TYPE_HEADER]: notification.type,
      });
    },
  };
}
