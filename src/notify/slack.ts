/** A Slack-compatible incoming webhook: `{"text": ...}` per notification. */
import type { ReleaseNotification } from '../domain/notify/notification';
import { slackMessage } from '../domain/notify/slack';
import { postJson, safeUrl, type NotificationSink } from './sink';

export function slackSink(settings: { url: string }): NotificationSink {
  return {
    name: 'slack',
    target: safeUrl(settings.url),
    async deliver(notification: ReleaseNotification) {
      await postJson(settings.url, JSON.stringify(slackMessage(notification)), {});
    },
  };
}
