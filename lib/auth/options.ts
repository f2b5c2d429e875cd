import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { now } from "../clock";
import { authSecret } from "../config";
import type { Role } from "../generated/sqlite/enums";
import { AppError } from "../errors";
import { getDb } from "../db";
import { endSessions } from "../server/sessions";
import { signIn } from "../server/sign-in";
import { limitKeyOf } from "../http/client-address";
import { clientAddressOf } from "../http/peer-address";
import { servedOverHttps } from "./origin";

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

export const authOptions: NextAuthOptions = {
  secret: authSecret(),
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  // next-auth's cookies are httpOnly and SameSite=Lax; Secure (and named __Secure-...) when the
  // portal's configured origin is https. Said explicitly rather than left to its default.
  useSecureCookies: servedOverHttps(),
  pages: { signIn: "/login" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(credentials, req) {
        if (!credentials?.email || !credentials.password) return null;
        try {
          const user = await signIn(credentials.email, credentials.password, await now(), limitKeyOf(clientAddressOf(req?.headers)));
          return user && { id: user.id, email: user.email, name: user.name, role: user.role, organizationId: user.organizationId };
        } catch (error) {
          // next-auth hands this message to the sign-in form as `error`.
          if (error instanceof AppError && error.code === "RATE_LIMITED") throw new Error(error.message);
          console.error("Sign-in failed:", error);
          throw new Error("Sign-in is not possible right now. Try again in a moment.");
        }
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        const u = user as unknown as { id: string; role: Role; organizationId: string | null };
        token.uid = u.id;
        token.role = u.role;
        token.organizationId = u.organizationId;
        // The user's session version now: sign-out, a role change or removal bumps it, and every
        // session signed in under an older one is refused (lib/auth/current-user.ts).
        const row = await getDb().user.findUnique({ where: { id: u.id }, select: { sessionVersion: true } });
        token.sv = row?.sessionVersion ?? 0;
      }
      return token;
    },
    async session({ session, token }) {
      if (session.user) {
        session.user.id = token.uid as string;
        session.user.role = token.role as Role;
        session.user.organizationId = (token.organizationId as string | null) ?? null;
      }
      return session;
    },
  },
  events: {
    // Sign-out ends the session everywhere: every copy of this user's cookie stops working.
    async signOut({ token }) {
      if (typeof token?.uid === "string") await endSessions(token.uid);
    },
  },
};
