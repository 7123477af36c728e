import { createHmac } from 'node:crypto';
import { signatureValid, signBody } from '../../../src/notify/signature';
import { readNotifyConfig } from '../../../src/config/notify';

describe('the webhook signature', () => {
  const secret = 'a-shared-secret-of-32-characters';
  const body = JSON.stringify({ id: '2026-47/3', type: 'started' });

  it('is sha256= and the hex HMAC-SHA256 of the raw body with the shared secret', () => {
    expect(signBody(body, secret)).toBe(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  });

  it('verifies the body it signed and nothing else', () => {
    const header = signBody(body, secret);
    expect(signatureValid(body, header, secret)).toBe(true);
    expect(signatureValid(body + ' ', header, secret)).toBe(false);
    expect(signatureValid(body, header, 'another-secret-of-some-length')).toBe(false);
    expect(signatureValid(body, undefined, secret)).toBe(false);
    expect(signatureValid(body, 'sha256=00', secret)).toBe(false);
  });
});

describe('notification settings from the environment', () => {
  it('reads none by default', () => {
    expect(readNotifyConfig({})).toEqual({});
  });

  it('reads the webhook with its secret, Slack and the inbox switch', () => {
    expect(
      readNotifyConfig({
        NOTIFY_WEBHOOK_URL: 'https://hooks.example.com/releases',
        NOTIFY_WEBHOOK_SECRET: 'a-shared-secret-of-32-characters',
        NOTIFY_SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X',
        NOTIFY_INBOX: 'off',
      }),
    ).toEqual({
      webhook: { url: 'https://hooks.example.com/releases', secret: 'a-shared-secret-of-32-characters' },
      slack: { url: 'https://hooks.slack.com/services/T/B/X' },
      inbox: 'off',
    });
  });

  it('refuses a webhook without a secret, a short secret and a URL that is not http, saying what to fix', () => {
    expect(() => readNotifyConfig({ NOTIFY_WEBHOOK_URL: 'https://hooks.example.com/' })).toThrow(
      /NOTIFY_WEBHOOK_SECRET: NOTIFY_WEBHOOK_URL is set: set NOTIFY_WEBHOOK_SECRET too/,
    );
    expect(() =>
      readNotifyConfig({ NOTIFY_WEBHOOK_URL: 'https://hooks.example.com/', NOTIFY_WEBHOOK_SECRET: 'short' }),
    ).toThrow(/NOTIFY_WEBHOOK_SECRET must be at least 16 characters/);
    expect(() => readNotifyConfig({ NOTIFY_SLACK_WEBHOOK_URL: 'ftp://x' })).toThrow(/NOTIFY_SLACK_WEBHOOK_URL/);
    expect(() => readNotifyConfig({ NOTIFY_INBOX: 'yes' })).toThrow(/NOTIFY_INBOX must be on or off/);
  });
});
