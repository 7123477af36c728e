import { lookup as dnsLookup } from 'node:dns/promises';
import { networkInterfaces } from 'node:os';
import { BlockList, isIP } from 'node:net';
import { HttpError } from './http';
import { quote } from './request-target';

export type AddressLookup = (hostname: string) => Promise<string[]>;

const LOOKUP_TIMEOUT_MS = 3_000;

async function lookupAll(hostname: string): Promise<string[]> {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true });
  return answers.map((answer) => answer.address);
}

/** Addresses that reach this machine whatever interface the fleet listens on. */
function thisMachine(): BlockList {
  const local = new BlockList();
  local.addSubnet('127.0.0.0', 8, 'ipv4');
  local.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');
  local.addAddress('0.0.0.0', 'ipv4');
  local.addAddress('::', 'ipv6');
  local.addAddress('::ffff:0.0.0.0', 'ipv6');
  local.addAddress('::1', 'ipv6');
  for (const addresses of Object.values(networkInterfaces())) {
    for (const { address, family } of addresses ?? []) {
      const bare = address.split('%')[0];
      local.addAddress(bare, family === 'IPv6' ? 'ipv6' : 'ipv4');
      if (family === 'IPv4') local.addAddress(`::ffff:${bare}`, 'ipv6');
    }
  }
  return local;
}

/**
 * Refuses (400) a maintenance `forwardTo` that leads back into this fleet: a URL whose host is this
 * machine — any spelling of loopback (the URL parser already folds 127.1, 0x7f000001, [::ffff:127.0.0.1]),
 * localhost, this machine's own addresses, or a name that resolves to one of them — and whose port
 * is one of the fleet's own listeners (`fleetPorts`: routers and the control plane). On such a port,
 * a host that does not resolve is refused too: it cannot be shown to lead elsewhere. Names can
 * change what they resolve to later; routers also refuse traffic they forwarded themselves (508).
 */
export async function checkForwardTarget(
  forwardTo: string,
  fleetPorts: ReadonlySet<number>,
  lookup: AddressLookup = lookupAll,
): Promise<void> {
  const url = new URL(forwardTo);
  if (url.username || url.password || url.search || url.hash) {
    throw new HttpError(
      400,
      `forwardTo ${quote(forwardTo)} must be a plain http(s) URL, without credentials, query or fragment`,
    );
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (!fleetPorts.has(port)) return;
  const host = url.hostname
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase()
    .replace(/\.$/, '');
  const loopbackName = host === 'localhost' || host.endsWith('.localhost');
  const addresses = loopbackName || isIP(host) !== 0 ? [host] : await resolve(host, forwardTo, lookup);
  const local = thisMachine();
  const leadsHere =
    loopbackName || addresses.some((address) => local.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4'));
  if (leadsHere) {
    throw new HttpError(
      400,
      `forwardTo ${quote(forwardTo)} points at this fleet's own port ${port} (a router or the control plane): ` +
        'maintenance traffic would loop; forward to a server outside the fleet',
    );
  }
}

async function resolve(host: string, forwardTo: string, lookup: AddressLookup): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${LOOKUP_TIMEOUT_MS} ms`)), LOOKUP_TIMEOUT_MS);
  });
  try {
    return await Promise.race([lookup(host), timeout]);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new HttpError(
      400,
      `forwardTo ${quote(forwardTo)}: the host ${quote(host)} could not be resolved (${reason})`,
    );
  } finally {
    clearTimeout(timer);
  }
}
