// Who the client is: the address that rate limits, the sign-in throttle and the update session's
// stored address go by. Pure functions (no Next, no request objects), unit-tested beside.
//
// The rule: the client is the peer of the TCP connection (the socket's remote address), unless
// that peer is one of the configured trusted proxies (PULSE_TRUSTED_PROXIES, IPs and CIDRs, empty
// by default). Then X-Forwarded-For is walked from the right (each proxy appends the address it
// saw): trusted proxies are skipped and the first entry that is not one is the client. Anything
// to the left of it was written by the client itself and is never believed; the leftmost entry
// in particular is whatever the client chose.
import net from "node:net";

/** An address kept in one form: IPv4 dotted (also for ::ffff:a.b.c.d), IPv6 lower-case and compressed. */
export function normalizeAddress(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let s = raw.trim();
  // [v6]:port, [v6], v4:port (as some proxies write them in X-Forwarded-For).
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) s = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(":"));
  s = s.replace(/%.*$/, ""); // a zone id (fe80::1%eth0) is local to the machine
  const family = net.isIP(s);
  if (family === 4) return new net.SocketAddress({ address: s, family: "ipv4" }).address;
  if (family !== 6) return null;
  const v6 = new net.SocketAddress({ address: s, family: "ipv6" }).address;
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/.exec(v6);
  return mapped ? mapped[1] : v6;
}

export interface TrustedProxies {
  has(address: string): boolean;
  readonly size: number;
}

/**
 * Parses PULSE_TRUSTED_PROXIES: a comma-separated list of IPs and CIDRs
 * ("127.0.0.1, 10.0.0.0/8, fd00::/8"). Throws on an entry that is neither, so a typo is found at
 * the first request instead of silently trusting nothing (or everything).
 */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const list = new net.BlockList();
  let size = 0;
  for (const part of (value ?? "").split(",")) {
    const entry = part.trim();
    if (!entry) continue;
    const [addr, bits, extra] = entry.split("/");
    const address = normalizeAddress(addr);
    const family = address ? net.isIP(address) : 0;
    const prefix = bits === undefined ? undefined : Number(bits);
    if (!address || extra !== undefined || (prefix !== undefined && (!/^\d+$/.test(bits) || prefix > (family === 4 ? 32 : 128)))) {
      throw new Error(`PULSE_TRUSTED_PROXIES: "${entry}" is not an IP address or a CIDR (like 10.0.0.0/8 or fd00::/8)`);
    }
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, prefix, type);
    size++;
  }
  return {
    size,
    has(address) {
      const a = normalizeAddress(address);
      if (!a) return false;
      return list.check(a, net.isIP(a) === 4 ? "ipv4" : "ipv6");
    },
  };
}

/** What the client address is when the connection's peer is not known (a request not served by our server). */
export const UNKNOWN_ADDRESS = "unknown";

/**
 * The client's address: `peer` (the socket's remote address) unless it is a trusted proxy; then
 * the rightmost X-Forwarded-For entry that is not a trusted proxy. When every entry is a trusted
 * proxy, the leftmost of them; when the walk meets an entry that is not an address, the last
 * good one before it (a trusted proxy vouched for that hop, not for the garbage).
 */
export function resolveClientAddress(peer: string | null | undefined, forwardedFor: string | null | undefined, trusted: TrustedProxies): string {
  let client = normalizeAddress(peer);
  if (!client) return UNKNOWN_ADDRESS;
  if (trusted.size === 0 || !forwardedFor) return client;
  const hops = forwardedFor.split(",");
  for (let i = hops.length - 1; i >= 0 && trusted.has(client); i--) {
    const hop = normalizeAddress(hops[i]);
    if (!hop) break;
    client = hop;
  }
  return client;
}

/**
 * The key that limits and throttles count a client address under. An IPv4 address is itself; an
 * IPv6 address counts as its /64 network, since one subscriber usually holds a whole /64 and
 * could take a fresh address for every request. Stored addresses (update sessions) stay whole.
 */
export function limitKeyOf(address: string): string {
  if (net.isIP(address) !== 6) return address;
  // Expand "a:b::c" to eight groups, then keep the first four.
  const [head, tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = address.includes("::") && tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}
