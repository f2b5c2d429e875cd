// HTTP servers for the agent's integration tests, all on 127.0.0.1:
// - portalServer(): the portal's real route handlers (product API, JWKS, test clock, health) on the
//   test file's own database, served over a real socket, as Next would serve them;
// - a fake portal (any handler) for answers the real one never gives;
// - a proxy that drops the connection after forwarding a request (the portal stored it, the client never heard).
// Ports come from AGENT_TEST_PORTS (default 3202-3299): the first free one.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import net from "node:net";
import { NextRequest } from "next/server";
import { GET as jwksRoute } from "../app/.well-known/jwks.json/route";
import { GET as healthRoute } from "../app/api/health/route";
import { DELETE as clockDelete, GET as clockGet, PUT as clockPut } from "../app/api/test/clock/route";
import { POST as updateRoute } from "../app/api/v1/license/update/route";
import { POST as reportsRoute } from "../app/api/v1/usage/reports/route";

type Route = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

const ROUTES: Record<string, Partial<Record<string, Route>>> = {
  "/api/v1/license/update": { POST: updateRoute as Route },
  "/api/v1/usage/reports": { POST: reportsRoute as Route },
  "/.well-known/jwks.json": { GET: jwksRoute as Route },
  "/api/health": { GET: healthRoute as Route },
  "/api/test/clock": { GET: clockGet as Route, PUT: clockPut as Route, DELETE: clockDelete as Route },
};

export interface Running {
  url: string;
  port: number;
  close(): Promise<void>;
}

function portRange(): [number, number] {
  const [from, to] = (process.env.AGENT_TEST_PORTS ?? "3202-3299").split("-").map(Number);
  return [from, to];
}

/** Listens on 127.0.0.1 on the first free port of the range. */
let nextPort = 0;

/**
 * Listens on 127.0.0.1 on a free port of the range, never one this process used before (a
 * client's kept-alive connection to a closed server on a reused port would break).
 */
export async function listen(server: http.Server | net.Server): Promise<Running> {
  const [from, to] = portRange();
  if (nextPort < from) nextPort = from;
  for (let port = nextPort; port <= to; port++) {
    nextPort = port + 1;
    const ok = await new Promise<boolean>((resolve) => {
      const onError = () => resolve(false);
      server.once("error", onError);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", onError);
        resolve(true);
      });
    });
    if (ok) {
      return {
        url: `http://127.0.0.1:${port}`, port,
        close: () => new Promise<void>((r) => {
          (server as http.Server).closeAllConnections?.();
          server.close(() => r());
        }),
      };
    }
  }
  throw new Error(`no free port in ${from}-${to}`);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The portal's route handlers over HTTP. */
export function portalServer(): Promise<Running> {
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const route = ROUTES[url.pathname]?.[req.method ?? "GET"];
      if (!route) {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
      }
      const body = await readBody(req);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const nreq = new NextRequest(new URL(url.pathname + url.search, `http://${req.headers.host}`), {
        method: req.method, headers, body: body.length ? new Uint8Array(body) : undefined,
      });
      const answer = await route(nreq, { params: Promise.resolve({}) });
      res.writeHead(answer.status, Object.fromEntries(answer.headers.entries()));
      res.end(Buffer.from(await answer.arrayBuffer()));
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
    }
  });
  return listen(server);
}

/** A fake portal: `handler` answers every request. */
export function fakeServer(handler: (req: IncomingMessage, body: Buffer, res: ServerResponse) => void | Promise<void>): Promise<Running> {
  return listen(http.createServer(async (req, res) => handler(req, await readBody(req), res)));
}

/**
 * A proxy to `target` that, for the first `drops` requests to `path`, forwards the request,
 * waits for the answer, and then destroys the client's connection without answering it.
 */
export function droppingProxy(target: string, path: string, drops: number): Promise<Running & { dropped: () => number }> {
  let dropped = 0;
  const server = http.createServer(async (req, res) => {
    const body = await readBody(req);
    const upstream = await fetch(new URL(req.url ?? "/", target), {
      method: req.method, headers: { "content-type": req.headers["content-type"] ?? "application/json" }, body: body.length ? new Uint8Array(body) : undefined,
    });
    const text = Buffer.from(await upstream.arrayBuffer());
    if (req.url === path && dropped < drops) {
      dropped++;
      req.socket.destroy();
      return;
    }
    res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" }).end(text);
  });
  return listen(server).then((r) => ({ ...r, dropped: () => dropped }));
}
