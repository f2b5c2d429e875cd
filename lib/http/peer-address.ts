// The socket's remote address, for route handlers served by `next start`.
//
// What Next 16 gives a route handler: a NextRequest built from the incoming headers only
// (NextRequestAdapter.fromNodeNextRequest); the socket is not reachable. Its server fills in
// X-Forwarded-For with `req.headers['x-forwarded-for'] ??= socket.remoteAddress`
// (base-server.js, handleRequestImpl): it neither overwrites nor appends, so a client that sends
// its own X-Forwarded-For replaces the real address entirely, and a handler cannot tell
// "X-Forwarded-For: <victim>" from a request that came from the victim.
//
// So the server stamps each request itself, before Next sees it: installPeerStamp() (called once
// from instrumentation.ts, in the Node.js runtime) wraps http.Server's `emit("request")` and sets
// the header PEER_HEADER to "<nonce> <socket.remoteAddress>", replacing whatever the client sent
// under that name. The nonce is random per process and kept on globalThis (the instrumentation
// and the route bundles share it), so a client cannot forge the stamp even for requests that
// arrived before the wrapper was installed (the few that wait for the server to start): those
// carry no valid stamp and count as UNKNOWN_ADDRESS.
import { randomBytes } from "node:crypto";
import http from "node:http";
import { parseTrustedProxies, resolveClientAddress, type TrustedProxies } from "./client-address";

export const PEER_HEADER = "x-pulse-peer";

interface PeerStamp {
  nonce: string;
  installed: boolean;
}

const KEY = Symbol.for("pulse.peerStamp");

function stampState(): PeerStamp {
  const g = globalThis as unknown as Record<symbol, PeerStamp | undefined>;
  return (g[KEY] ??= { nonce: randomBytes(18).toString("base64url"), installed: false });
}

/** The header value that says "this request came from `address`" in this process. */
export function peerStampFor(address: string): string {
  return `${stampState().nonce} ${address}`;
}

/** Wraps http.Server's request event so that every request carries its socket's address (idempotent). */
export function installPeerStamp(): void {
  const state = stampState();
  if (state.installed) return;
  state.installed = true;
  const proto = http.Server.prototype as unknown as { emit: (event: string | symbol, ...args: unknown[]) => boolean };
  const emit = proto.emit;
  proto.emit = function (this: unknown, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const req = args[0] as http.IncomingMessage;
      req.headers[PEER_HEADER] = peerStampFor(req.socket?.remoteAddress ?? "");
    }
    return emit.call(this, event, ...args);
  };
}

type HeaderSource = Headers | Record<string, string | string[] | undefined> | null | undefined;

export function headerOf(headers: HeaderSource, name: string): string | null {
  if (!headers) return null;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name);
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value.join(",") : (value ?? null);
}

/** The socket's remote address stamped on these headers by this process, or null. */
export function peerAddressOf(headers: HeaderSource): string | null {
  const stamp = headerOf(headers, PEER_HEADER);
  if (!stamp) return null;
  const space = stamp.indexOf(" ");
  if (space < 0 || stamp.slice(0, space) !== stampState().nonce) return null;
  return stamp.slice(space + 1) || null;
}

let trustedCache: { value: string | undefined; parsed: TrustedProxies } | undefined;

function trustedProxies(): TrustedProxies {
  const value = process.env.PULSE_TRUSTED_PROXIES;
  if (!trustedCache || trustedCache.value !== value) trustedCache = { value, parsed: parseTrustedProxies(value) };
  return trustedCache.parsed;
}

/**
 * The client address of a request (route handlers, and next-auth's authorize, which gets the
 * headers as a plain object): the stamped peer, or behind PULSE_TRUSTED_PROXIES the rightmost
 * X-Forwarded-For entry that is not a trusted proxy (lib/http/client-address.ts).
 */
export function clientAddressOf(headers: HeaderSource): string {
  return resolveClientAddress(peerAddressOf(headers), headerOf(headers, "x-forwarded-for"), trustedProxies());
}
