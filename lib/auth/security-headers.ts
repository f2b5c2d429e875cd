// The security headers of every answer of the portal (pages, API, 404s), set in proxy.ts.
import { servedOverHttps } from "./origin";

/** A fresh, unguessable nonce for one response's scripts (128 random bits, base64). */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The Content-Security-Policy of a response whose scripts carry `nonce`. Next.js reads the nonce
 * from this header on the request (proxy.ts passes it on) and puts it on the scripts it renders;
 * 'strict-dynamic' lets those scripts load the app's chunks. No 'unsafe-inline' for scripts: an
 * injected <script> or on* attribute does not run.
 *
 * Styles allow 'unsafe-inline' (and so carry no nonce, which would switch it off): the charts
 * (recharts) and React's `style` props write inline style attributes, which a nonce cannot cover.
 * Inline styles cannot run code; the cost is that injected markup could restyle a page.
 *
 * `dev`: React's development build evaluates strings ('unsafe-eval'); never in production.
 */
export function contentSecurityPolicy(nonce: string, options: { dev?: boolean; https?: boolean } = {}): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** Every header but the CSP: the same on every answer. HSTS only when served over HTTPS. */
export function staticSecurityHeaders(https = servedOverHttps()): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    // Older browsers that do not know frame-ancestors.
    "X-Frame-Options": "DENY",
    // License and case URLs stay within the portal.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    // Not includeSubDomains: other hosts of the domain are not the portal's to decide.
    ...(https ? { "Strict-Transport-Security": "max-age=31536000" } : {}),
  };
}

/** All the security headers of an answer whose scripts carry `nonce`. */
export function securityHeaders(nonce: string): Record<string, string> {
  const https = servedOverHttps();
  return {
    "Content-Security-Policy": contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development", https }),
    ...staticSecurityHeaders(https),
  };
}
