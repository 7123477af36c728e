import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { HttpError } from './http';

/** A bearer token: long enough not to be guessed, in the characters an Authorization header carries as is. */
export const FleetTokenSchema = z
  .string()
  .min(16, 'FLEET_TOKEN must be at least 16 characters; generate one with `openssl rand -hex 32`')
  .max(512, 'FLEET_TOKEN must be at most 512 characters')
  .regex(/^[A-Za-z0-9._~+/=-]+$/, 'FLEET_TOKEN may use letters, digits and . _ ~ + / = - only');

/** Whether a listen address keeps the control plane on this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1' || bare === '0:0:0:0:0:0:0:1';
}

/**
 * Throws a 401 unless the request carries `Authorization: Bearer <token>`. The comparison takes
 * the same time whatever the guess (both sides hashed to equal length, then compared in constant time).
 */
export function requireBearerToken(req: IncomingMessage, token: string): void {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer +(\S+) *$/i.exec(header);
  const given = createHash('sha256')
    .update(match?.[1] ?? '')
    .digest();
  const expected = createHash('sha256').update(token).digest();
  if (match && timingSafeEqual(given, expected)) return;
  throw new HttpError(
    401,
    match
      ? 'the bearer token is not this fleet’s token; send the FLEET_TOKEN the daemon was started with'
      : 'this fleet requires Authorization: Bearer <token>; set FLEET_TOKEN to the daemon’s token',
    undefined,
    { 'www-authenticate': 'Bearer realm="fleet"' },
  );
}
