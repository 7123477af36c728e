import type { NotifyConfig } from '../config/notify';
import type { NotificationInbox } from './inbox';
import type { NotificationSink } from './sink';
import { slackSink } from './slack';
import { webhookSink } from './webhook';

/** The sinks a worker delivers to: those configured, and the inbox when the process has one. */
export function sinksFromConfig(config: NotifyConfig, inbox?: NotificationInbox): NotificationSink[] {
  return [
    ...(config.webhook ? [webhookSink(config.webhook)] : []),
    ...(config.slack ? [slackSink(config.slack)] : []),
    ...(inbox ? [inbox.sink()] : []),
  ];
}
