/** HTTP headers of a webhook delivery (README, "Notifications"); the signing itself is Node's (src/notify/signature.ts). */
export const SIGNATURE_HEADER = 'X-Staged-Release-Signature';
export const NOTIFICATION_ID_HEADER = 'X-Staged-Release-Notification-Id';
export const NOTIFICATION_TYPE_HEADER = 'X-Staged-Release-Notification-Type';
/** The signature header's value: `sha256=` and the hex HMAC-SHA256 of the raw body with the shared secret. */
export const SIGNATURE_PREFIX = 'sha256=';
