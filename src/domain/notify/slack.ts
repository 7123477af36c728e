/** The Slack incoming-webhook message of a notification (`{"text": ...}` with Slack's mrkdwn). */
import type { ReleaseNotification } from './notification';

const MARKS: Record<string, string> = {
  planned: ':calendar:',
  started: ':rocket:',
  'stage-entered': ':arrow_forward:',
  'account-rolled-back': ':leftwards_arrow_with_hook:',
  'account-failed': ':x:',
  'issue-opened': ':warning:',
  'issue-closed': ':white_check_mark:',
  held: ':octagonal_sign:',
  'patch-given': ':adhesive_bandage:',
  paused: ':double_vertical_bar:',
  resumed: ':arrow_forward:',
  aborted: ':no_entry:',
  completed: ':tada:',
};

/** Slack's control characters in mrkdwn, escaped as its docs ask. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function slackText(notification: ReleaseNotification): string {
  const mark = MARKS[notification.type] ?? ':information_source:';
  return `${mark} *${escape(notification.releaseId)}* (${escape(notification.version)}) ${escape(notification.text)}`;
}

export function slackMessage(notification: ReleaseNotification): { text: string } {
  return { text: slackText(notification) };
}
