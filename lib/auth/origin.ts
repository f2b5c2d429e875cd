// The portal's own origin (scheme, host and port), as configured: NEXTAUTH_URL, which sign-in
// redirects use too, or http://localhost:$PORT. Request headers (Host, X-Forwarded-Host) never
// decide it: a client can choose those.

/** The configured origin of the portal, e.g. "https://pulse.example.com". */
export function portalOrigin(): string {
  const configured = process.env.NEXTAUTH_URL || `http://localhost:${process.env.PORT || 3000}`;
  return new URL(configured).origin;
}

/** Whether the portal is served over HTTPS (its configured origin is https). */
export function servedOverHttps(): boolean {
  return portalOrigin().startsWith("https:");
}

/**
 * Whether an Origin header names the portal's own origin. `null` (sandboxed frames, some
 * redirects, file: pages) and anything that is not a URL are never the portal.
 */
export function isOwnOrigin(origin: string): boolean {
  if (origin === "null") return false;
  try {
    return new URL(origin).origin === portalOrigin();
  } catch {
    return false;
  }
}
