/** The webhook signature: HMAC-SHA256 of the raw body with the shared secret, as `sha256=<hex>`. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SIGNATURE_PREFIX } from '../domain/notify/headers';

export function signBody(body: string | Buffer, secret: string): string {
  return SIGNATURE_PREFIX + createHmac('sha256', secret).update(body).digest('hex');
}

/** Whether `header` is the signature of `body` with `secret` (compared in constant time). */
export function signatureValid(body: string | Buffer, header: string | undefined, secret: string): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(body, secret));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
