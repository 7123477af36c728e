/** Notification sinks, from the environment (README, "Notifications"). */
import { z } from 'zod';
import { ConfigError } from './env';

const blankIsUnset = (schema: z.ZodType) => z.preprocess((value) => (value === '' ? undefined : value), schema);
const httpUrl = (name: string) =>
  z
    .url({ message: `${name} must be an http(s) URL such as https://hooks.example.com/releases` })
    .refine((url) => /^https?:\/\//.test(url), `${name} must be an http(s) URL`);

const NotifyEnvSchema = z
  .object({
    /** Generic webhook: each notification POSTed as signed JSON. */
    NOTIFY_WEBHOOK_URL: blankIsUnset(httpUrl('NOTIFY_WEBHOOK_URL').optional()),
    /** The shared secret the webhook's signature is made with. */
    NOTIFY_WEBHOOK_SECRET: blankIsUnset(
      z
        .string()
        .min(16, 'NOTIFY_WEBHOOK_SECRET must be at least 16 characters')
        .max(512, 'NOTIFY_WEBHOOK_SECRET must be at most 512 characters')
        .optional(),
    ),
    /** A Slack (or compatible) incoming webhook. */
    NOTIFY_SLACK_WEBHOOK_URL: blankIsUnset(httpUrl('NOTIFY_SLACK_WEBHOOK_URL').optional()),
    /** The local inbox of `npm start` (on by default there; a worker on its own has none). */
    NOTIFY_INBOX: z.enum(['on', 'off'], { message: 'NOTIFY_INBOX must be on or off' }).optional(),
  })
  .refine((env) => !env.NOTIFY_WEBHOOK_URL || env.NOTIFY_WEBHOOK_SECRET, {
    message: 'NOTIFY_WEBHOOK_URL is set: set NOTIFY_WEBHOOK_SECRET too (the receiver checks the signature with it)',
    path: ['NOTIFY_WEBHOOK_SECRET'],
  });

export interface NotifyConfig {
  webhook?: { url: string; secret: string };
  slack?: { url: string };
  inbox?: 'on' | 'off';
}

export function readNotifyConfig(env: NodeJS.ProcessEnv = process.env): NotifyConfig {
  const parsed = NotifyEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new ConfigError(`Invalid configuration in the environment:\n${problems}`);
  }
  const { NOTIFY_WEBHOOK_URL, NOTIFY_WEBHOOK_SECRET, NOTIFY_SLACK_WEBHOOK_URL, NOTIFY_INBOX } = parsed.data as {
    NOTIFY_WEBHOOK_URL?: string;
    NOTIFY_WEBHOOK_SECRET?: string;
    NOTIFY_SLACK_WEBHOOK_URL?: string;
    NOTIFY_INBOX?: 'on' | 'off';
  };
  return {
    ...(NOTIFY_WEBHOOK_URL ? { webhook: { url: NOTIFY_WEBHOOK_URL, secret: NOTIFY_WEBHOOK_SECRET! } } : {}),
    ...(NOTIFY_SLACK_WEBHOOK_URL ? { slack: { url: NOTIFY_SLACK_WEBHOOK_URL } } : {}),
    ...(NOTIFY_INBOX ? { inbox: NOTIFY_INBOX } : {}),
  };
}
