import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { clientAddressOf, installPeerStamp, PEER_HEADER, peerAddressOf, peerStampFor } from "./peer-address";

function fakeRequest(remoteAddress: string, headers: Record<string, string>) {
  return { headers: { ...headers }, socket: { remoteAddress } } as unknown as http.IncomingMessage;
}

afterEach(() => {
  delete process.env.PULSE_TRUSTED_PROXIES;
});

describe("the peer stamp", () => {
  it("replaces whatever the client sent under the stamp's name with the socket's address", () => {
    installPeerStamp();
    installPeerStamp(); // idempotent
    const server = http.createServer();
    let seen: http.IncomingMessage | undefined;
    server.on("request", (req: http.IncomingMessage) => (seen = req));
    server.emit("request", fakeRequest("::ffff:198.51.100.9", { [PEER_HEADER]: "forged 203.0.113.66", "x-forwarded-for": "203.0.113.66" }), {});
    expect(seen).toBeDefined();
    expect(peerAddressOf(seen!.headers)).toBe("::ffff:198.51.100.9");
    expect(clientAddressOf(seen!.headers)).toBe("198.51.100.9");
  });

  it("is not believed without this process's nonce", () => {
    expect(peerAddressOf(new Headers({ [PEER_HEADER]: "203.0.113.66" }))).toBeNull();
    expect(peerAddressOf(new Headers({ [PEER_HEADER]: "guess 203.0.113.66" }))).toBeNull();
    expect(clientAddressOf(new Headers({ "x-forwarded-for": "203.0.113.66" }))).toBe("unknown");
    expect(peerAddressOf(new Headers({ [PEER_HEADER]: peerStampFor("127.0.0.1") }))).toBe("127.0.0.1");
  });

  it("believes X-Forwarded-For only from PULSE_TRUSTED_PROXIES, for Headers and plain header objects alike", () => {
    const headers = { [PEER_HEADER]: peerStampFor("127.0.0.1"), "x-forwarded-for": "203.0.113.66, 198.51.100.9" };
    expect(clientAddressOf(headers)).toBe("127.0.0.1");
    process.env.PULSE_TRUSTED_PROXIES = "127.0.0.1";
    expect(clientAddressOf(headers)).toBe("198.51.100.9");
    expect(clientAddressOf(new Headers(headers))).toBe("198.51.100.9");
  });
});
