import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import nodemailer from "nodemailer";
import { systemNow } from "../../clock";
import { authSecret, dataDir } from "../../config";

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
}

/** The portal's public address, for links in mails (NEXTAUTH_URL, as sign-in uses). */
export function portalUrl(): string {
  return (process.env.NEXTAUTH_URL || `http://localhost:${process.env.PORT || 3000}`).replace(/\/$/, "");
}

/** Where mails go without PULSE_SMTP_URL: one .eml file each. */
export function outboxDir(): string {
  return path.join(dataDir(), "outbox");
}

/**
 * Sends one mail: over SMTP to PULSE_SMTP_URL (smtp://user:pass@host:port, smtps://...) with
 * nodemailer, or without it (the embedded default) as an .eml file in the data folder's outbox/.
 * Returns where it went.
 */
export async function sendMail(mail: Mail): Promise<string> {
  const from = process.env.PULSE_MAIL_FROM || "VCSP Pulse <no-reply@pulse.localhost>";
  const url = process.env.PULSE_SMTP_URL;
  if (url) {
    const transport = nodemailer.createTransport(url);
    try {
      const info = await transport.sendMail({ from, ...mail });
      return `smtp ${info.messageId}`;
    } finally {
      transport.close();
    }
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  const info = await transport.sendMail({ from, ...mail });
  const dir = outboxDir();
  mkdirSync(dir, { recursive: true });
  const name = `${systemNow().toISOString().replace(/[:.]/g, "-")}-${info.messageId.replace(/[^a-zA-Z0-9]/g, "").slice(0, 24)}.eml`;
  writeFileSync(/*turbopackIgnore: true*/ path.join(dir, name), info.message as Buffer);
  return `outbox/${name}`;
}

// Unsubscribe links: a token that names a user and one kind, signed with the portal's secret, so
// that the link works without signing in and for that kind only.

const sign = (payload: string) => createHmac("sha256", authSecret()).update(`unsubscribe:${payload}`).digest("base64url");

export function unsubscribeToken(userId: string, type: string): string {
  const payload = Buffer.from(JSON.stringify([userId, type])).toString("base64url");
  return `${payload}.${sign(payload)}`;
}

/** The user and kind a token names, or null when it is not one this portal signed. */
export function readUnsubscribeToken(token: string): { userId: string; type: string } | null {
  const [payload, signature] = token.split(".");
  if (!payload || !signature) return null;
  const want = Buffer.from(sign(payload));
  const got = Buffer.from(signature);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
  try {
    const [userId, type] = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as unknown[];
    return typeof userId === "string" && typeof type === "string" ? { userId, type } : null;
  } catch {
    return null;
  }
}

export function unsubscribeUrl(userId: string, type: string): string {
  return `${portalUrl()}/unsubscribe?token=${encodeURIComponent(unsubscribeToken(userId, type))}`;
}
