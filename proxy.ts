// Every page except sign-in needs a session: a signed-out visit goes to /login and comes back
// after. API routes answer 401 themselves (lib/http), so they are not matched here; nor is
// /unsubscribe, the link of notification mails, which works without signing in.
import { withAuth } from "next-auth/middleware";
import { authSecret } from "./lib/config";

export default withAuth({
  pages: { signIn: "/login" },
  secret: authSecret(),
});

export const config = {
  matcher: ["/((?!api|_next/static|_next/image|favicon.ico|login|unsubscribe|\\.well-known|docs).*)"],
};
