import { isIPv6 } from 'node:net';

/**
 * The key per-address limits count under. An IPv6 client usually holds a
 * whole /64 and can rotate through it at will, so IPv6 addresses are
 * grouped by their /64 prefix; an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`,
 * what a dual-stack socket reports) counts as its IPv4 address. Anything
 * else (IPv4, or a string the binding made up) is its own group.
 */
export function addressGroup(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  const plain = address.split('%')[0] ?? address; // a zone id (fe80::1%eth0) is local detail
  if (!isIPv6(plain)) return address;
  const groups = hextets(plain);
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address, in lower-case hex without leading zeros. */
function hextets(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const left = parts(head);
  const right = tail === undefined ? [] : parts(tail);
  const zeros = Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...zeros, ...right].map((group) => Number.parseInt(group, 16).toString(16));
}

function parts(text: string): string[] {
  if (text === '') return [];
  return text.split(':').flatMap((part) => {
    if (!part.includes('.')) return [part];
    // An embedded IPv4 tail (64:ff9b::192.0.2.1) is two groups.
    const [a = 0, b = 0, c = 0, d = 0] = part.split('.').map(Number);
    return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
  });
}
