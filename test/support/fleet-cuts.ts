/**
 * Cuts the fleet's control plane at a precise moment of a swap: a wrapped provider that, on the nth
 * call of one method for one account, starts an outage (a TCP proxy's `cutFor`, which cuts at once)
 * and then makes the call, which the outage blocks.
 */
import type { FleetProvider } from '../../src/platform/provider';

export interface CutOnCall {
  method: keyof FleetProvider;
  accountId: string;
  /** Which call of `method` for the account starts the outage (1: the first). */
  nth?: number;
  cut: () => Promise<void>;
}

export function cutOnCall({ method, accountId, nth = 1, cut }: CutOnCall) {
  return (provider: FleetProvider): FleetProvider => {
    let calls = 0;
    return new Proxy(provider, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (property !== method || typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (accountOf(args[0]) === accountId && ++calls === nth) void cut();
          return (value as (...args: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  };
}

/** Provider methods name the account first, as an id or as a request's `accountId`. */
function accountOf(first: unknown): string | undefined {
  if (typeof first === 'string') return first;
  if (first && typeof first === 'object' && 'accountId' in first) return String(first.accountId);
  return undefined;
}
