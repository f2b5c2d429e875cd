import { describe, expect, it } from "vitest";
import { normalizeAddress, parseTrustedProxies, resolveClientAddress, UNKNOWN_ADDRESS, limitKeyOf } from "./client-address";

const none = parseTrustedProxies("");
const local = parseTrustedProxies("127.0.0.1");

describe("normalizeAddress", () => {
  it("keeps one form per address: IPv4-mapped IPv6 is IPv4, IPv6 is lower-case and compressed, ports and brackets go", () => {
    expect(normalizeAddress("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normalizeAddress("::FFFF:7f00:1")).toBe("127.0.0.1");
    expect(normalizeAddress(" 203.0.113.7 ")).toBe("203.0.113.7");
    expect(normalizeAddress("203.0.113.7:51234")).toBe("203.0.113.7");
    expect(normalizeAddress("2001:DB8:0:0:0:0:0:1")).toBe("2001:db8::1");
    expect(normalizeAddress("[2001:db8::1]:443")).toBe("2001:db8::1");
    expect(normalizeAddress("fe80::1%eth0")).toBe("fe80::1");
  });

  it("answers null for what is not an address", () => {
    for (const bad of ["", "unknown", "victim", "1.2.3", "300.1.1.1", "<script>", "1.2.3.4, 5.6.7.8", null, undefined]) expect(normalizeAddress(bad)).toBeNull();
  });
});

describe("parseTrustedProxies", () => {
  it("takes IPs and CIDRs of both families, comma-separated", () => {
    const t = parseTrustedProxies(" 127.0.0.1, 10.0.0.0/8 ,fd00::/8, ::1 ");
    expect(t.size).toBe(4);
    expect(t.has("127.0.0.1")).toBe(true);
    expect(t.has("::ffff:127.0.0.1")).toBe(true);
    expect(t.has("10.200.3.4")).toBe(true);
    expect(t.has("11.0.0.1")).toBe(false);
    expect(t.has("fd12:3456::1")).toBe(true);
    expect(t.has("fe80::1")).toBe(false);
    expect(t.has("::1")).toBe(true);
    expect(t.has("127.0.0.2")).toBe(false);
    expect(t.has("garbage")).toBe(false);
  });

  it("is empty by default and refuses entries that are neither an IP nor a CIDR", () => {
    expect(parseTrustedProxies(undefined).size).toBe(0);
    expect(parseTrustedProxies(" , ").size).toBe(0);
    for (const bad of ["localhost", "10.0.0.0/33", "10.0.0.0/x", "fd00::/129", "1.2.3.4/8/9"]) {
      expect(() => parseTrustedProxies(bad)).toThrow(/PULSE_TRUSTED_PROXIES/);
    }
  });
});

describe("resolveClientAddress", () => {
  it("without trusted proxies, is the socket's peer: a spoofed X-Forwarded-For is ignored", () => {
    expect(resolveClientAddress("198.51.100.9", "203.0.113.66", none)).toBe("198.51.100.9");
    expect(resolveClientAddress("::ffff:198.51.100.9", "203.0.113.66, 10.0.0.1", none)).toBe("198.51.100.9");
  });

  it("from a peer that is not a trusted proxy, ignores X-Forwarded-For even when proxies are configured", () => {
    expect(resolveClientAddress("198.51.100.9", "203.0.113.66", local)).toBe("198.51.100.9");
  });

  it("behind a trusted proxy, is the rightmost entry: what the proxy saw, never what the client wrote to its left", () => {
    // nginx's $proxy_add_x_forwarded_for appends $remote_addr to what the client sent.
    expect(resolveClientAddress("127.0.0.1", "203.0.113.66, 198.51.100.9", local)).toBe("198.51.100.9");
    expect(resolveClientAddress("::ffff:127.0.0.1", "198.51.100.9", local)).toBe("198.51.100.9");
    expect(resolveClientAddress("127.0.0.1", "victim, 198.51.100.9", local)).toBe("198.51.100.9");
  });

  it("walks right to left over a chain of trusted proxies (CIDR), stopping at the first untrusted entry", () => {
    const chain = parseTrustedProxies("127.0.0.1,10.0.0.0/8");
    expect(resolveClientAddress("127.0.0.1", "203.0.113.66, 198.51.100.9, 10.1.2.3, 10.9.9.9", chain)).toBe("198.51.100.9");
    // Every hop trusted: the leftmost of them.
    expect(resolveClientAddress("127.0.0.1", "10.1.2.3, 10.9.9.9", chain)).toBe("10.1.2.3");
    // A trusted proxy vouched for the hop to its left only: garbage there leaves the last good hop.
    expect(resolveClientAddress("127.0.0.1", "nonsense, 10.9.9.9", chain)).toBe("10.9.9.9");
  });

  it("handles IPv6 peers, proxies and clients", () => {
    const v6 = parseTrustedProxies("fd00::/8");
    expect(resolveClientAddress("fd00::5", "2001:DB8::7", v6)).toBe("2001:db8::7");
    expect(resolveClientAddress("[fd00::5]:8080", "[2001:db8::7]:1234, fd00::6", v6)).toBe("2001:db8::7");
    expect(resolveClientAddress("2001:db8::9", "2001:db8::7", v6)).toBe("2001:db8::9");
  });

  it("is UNKNOWN_ADDRESS when the peer is not known, whatever X-Forwarded-For says", () => {
    expect(resolveClientAddress(null, "198.51.100.9", local)).toBe(UNKNOWN_ADDRESS);
    expect(resolveClientAddress("", "198.51.100.9", none)).toBe(UNKNOWN_ADDRESS);
  });
});

describe("limitKeyOf: what limits and the sign-in throttle count a client as", () => {
  it("keeps an IPv4 address whole and counts an IPv6 address as its /64", () => {
    expect(limitKeyOf("203.0.113.7")).toBe("203.0.113.7");
    expect(limitKeyOf("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(limitKeyOf("2001:db8:1:2::9")).toBe("2001:db8:1:2::/64");
    expect(limitKeyOf("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(limitKeyOf("::1")).toBe("0:0:0:0::/64");
    expect(limitKeyOf("unknown")).toBe("unknown");
  });
  it("gives every address of one /64 the same key, and another /64 another", () => {
    const keys = new Set(["2001:db8:a:b::1", "2001:db8:a:b:ffff::2", "2001:db8:a:b:1:2:3:4"].map(limitKeyOf));
    expect(keys.size).toBe(1);
    expect(limitKeyOf("2001:db8:a:c::1")).not.toBe([...keys][0]);
  });
});
