import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { DomainError } from '@tagging/domain';

/**
 * The SSRF guard of webhook URLs (issue 17): an endpoint may not make the service call its own
 * network. Addresses that are loopback, private, link-local, carrier-grade NAT, multicast,
 * reserved or unspecified are refused, unless the operator allows them
 * (`WEBHOOK_ALLOW_PRIVATE_URLS`, for tests and closed networks). Checked when an endpoint is
 * saved (a clear 400) and again at every connection, on the address actually connected to, so a
 * name that later resolves elsewhere (DNS rebinding) is refused too.
 */
const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  // Unspecified, loopback and IPv4-compatible (`::127.0.0.1`) addresses.
  ['::', 96],
  // Addresses that carry an IPv4 address to a translator or tunnel: NAT64, 6to4, Teredo.
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['2002::', 16],
  ['2001::', 32],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(network, prefix, 'ipv6');

/** True when the address is one a webhook may not reach (see above); IPv4-mapped IPv6 as its IPv4. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return blocked.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

/**
 * Why a connection to the URL's host is refused, when the host is an address written in the URL
 * (a socket connects to it without a lookup, so `guardedLookup` never sees it); null otherwise.
 */
export function refusedLiteralAddress(url: string, allowPrivate: boolean): string | null {
  if (allowPrivate) return null;
  const host = hostOf(new URL(url));
  return isIP(host) !== 0 && isPrivateAddress(host)
    ? `EPRIVATEADDRESS: refused to connect to private address ${host}`
    : null;
}

/** Where webhook endpoints may point; `allowPrivate` lets them reach loopback and private networks. */
export type WebhookUrlPolicy = { allowPrivate: boolean };
export const defaultWebhookUrlPolicy: WebhookUrlPolicy = { allowPrivate: false };

/**
 * Every address `hostname` resolves to, or an error: the resolver's (`ENOTFOUND`, …), or
 * `EPRIVATEADDRESS` when one of them is an address a webhook may not reach (unless
 * `allowPrivate`). The one check behind both the save-time check and every connection.
 */
function resolvePublic(hostname: string, allowPrivate: boolean): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (error, addresses) => {
      if (error) return reject(error);
      const bad = !allowPrivate && addresses.find((a) => isPrivateAddress(a.address));
      if (!bad) return resolve(addresses);
      const refused: NodeJS.ErrnoException = new Error(`refused to connect to private address ${bad.address}`);
      refused.code = 'EPRIVATEADDRESS';
      return reject(refused);
    }),
  );
}

/**
 * Refuses (VALIDATION_ERROR on `url`) a URL whose host resolves to an address a webhook may not
 * reach, or does not resolve at all.
 */
export async function checkWebhookUrl(url: string, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const refuse = (message: string) => new DomainError('VALIDATION_ERROR', message, [{ path: ['url'], message }]);
  const host = hostOf(new URL(url));
  await resolvePublic(host, false).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EPRIVATEADDRESS'
      ? refuse('the URL resolves to a loopback, private or link-local address, which webhooks may not call')
      : refuse(`the host ${host} does not resolve`);
  });
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for `http.request` that resolves as usual and then refuses private addresses: the
 * check applies to the address the socket really connects to.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback) => {
    resolvePublic(hostname, allowPrivate).then(
      (addresses) => {
        if (options.all) return callback(null, addresses);
        const first = addresses[0];
        if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
        return callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
}
