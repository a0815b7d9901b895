// A real Better Auth server (npm better-auth, pinned in package.json) on the app's database, for the
// interop test in this folder and for trying the two side by side. It has the configuration
// The README ("Better Auth") gives a Better Auth deployment (plural snake_case tables, email/password on,
// cookieCache off), plus two test-only settings: its own rate limiter and telemetry off.
//
//   DATABASE_URL=postgres://… BETTER_AUTH_SECRET=… PORT=3001 \
//   BETTER_AUTH_URL=http://127.0.0.1:3001 TRUSTED_ORIGINS=http://localhost:8080 \
//   node interop/better-auth-server.mjs        # EXIT_ON_STDIN_CLOSE=0 when started in the background
//
// Password reset is on, as the README configures it: sendResetPassword "mails" the link by printing
// it on stdout, and with TEST_MAILBOX=1 also keeps it for GET /test/mailbox?email=… (the messages to
// that address, oldest first, handed out once), which the interop tests read.
// Better Auth's jwt and bearer plugins, as a frontend that calls the app's JSON API enables them:
//   BA_JWT=1              jwt plugin (EdDSA keys in the jwks table, mapped to snake_case)
//   BA_JWT_ALG=ES256      its key algorithm (jwks.keyPairConfig.alg)
//   BA_JWT_ROTATE=4       rotate its key every 4 seconds (jwks.rotationInterval)
//   BA_BEARER=1           bearer plugin
//
// It prints "ready <url>" on stdout once it listens, and exits when its stdin closes, so a test that
// dies without cleaning up never leaves it running.
import http from "node:http";
import pg from "pg";
import { betterAuth } from "better-auth";
import { toNodeHandler } from "better-auth/node";
import { bearer, jwt } from "better-auth/plugins";

function required(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`better-auth-server: ${name} is not set`);
    process.exit(2);
  }
  return v;
}

const port = Number(required("PORT"));
const baseURL = process.env.BETTER_AUTH_URL || `http://127.0.0.1:${port}`;
const trustedOrigins = (process.env.TRUSTED_ORIGINS || "").split(",").filter(Boolean);

// Reset mails, by address, until a test takes them.
const mailbox = new Map();
const keepMail = process.env.TEST_MAILBOX === "1";
const plugins = [];
if (process.env.BA_JWT === "1") {
  const jwks = {};
  if (process.env.BA_JWT_ALG) jwks.keyPairConfig = { alg: process.env.BA_JWT_ALG };
  if (process.env.BA_JWT_ROTATE) jwks.rotationInterval = Number(process.env.BA_JWT_ROTATE);
  plugins.push(
    jwt({
      jwks,
      // The jwks table of our migration: snake_case columns.
      schema: {
        jwks: {
          fields: { publicKey: "public_key", privateKey: "private_key", createdAt: "created_at", expiresAt: "expires_at" },
        },
      },
    }),
  );
}
if (process.env.BA_BEARER === "1") plugins.push(bearer());

const pool = new pg.Pool({ connectionString: required("DATABASE_URL"), max: 4 });

export const auth = betterAuth({
  database: pool,
  secret: required("BETTER_AUTH_SECRET"),
  baseURL,
  trustedOrigins,
  emailAndPassword: {
    enabled: true,
    // Where the link goes: the client asks with redirectTo "/reset-password", the app's page.
    sendResetPassword: async ({ user, url, token }) => {
      console.log(`reset-password mail to ${user.email}: ${url}`);
      if (keepMail) {
        const list = mailbox.get(user.email) || [];
        list.push({ email: user.email, url, token });
        mailbox.set(user.email, list);
      }
    },
    // As the app does: a reset signs the user out everywhere.
    revokeSessionsOnPasswordReset: true,
  },
  // Our tables: plural names, snake_case columns (db/migrations/*_better_auth.sql).
  user: {
    modelName: "users",
    fields: { emailVerified: "email_verified", createdAt: "created_at", updatedAt: "updated_at" },
  },
  session: {
    modelName: "sessions",
    fields: {
      userId: "user_id",
      expiresAt: "expires_at",
      ipAddress: "ip_address",
      userAgent: "user_agent",
      createdAt: "created_at",
      updatedAt: "updated_at",
    },
    // The app always checks the database; a cookie cache would let a revoked session live on.
    cookieCache: { enabled: false },
  },
  account: {
    modelName: "accounts",
    fields: {
      userId: "user_id",
      accountId: "account_id",
      providerId: "provider_id",
      accessToken: "access_token",
      refreshToken: "refresh_token",
      idToken: "id_token",
      accessTokenExpiresAt: "access_token_expires_at",
      refreshTokenExpiresAt: "refresh_token_expires_at",
      createdAt: "created_at",
      updatedAt: "updated_at",
    },
  },
  verification: {
    modelName: "verifications",
    fields: { expiresAt: "expires_at", createdAt: "created_at", updatedAt: "updated_at" },
  },
  plugins,
  // Tests sign in many times from one address; the app has its own throttle.
  rateLimit: { enabled: false },
  telemetry: { enabled: false },
});

const authHandler = toNodeHandler(auth);
const server = http.createServer((req, res) => {
  const u = new URL(req.url, baseURL);
  if (keepMail && req.method === "GET" && u.pathname === "/test/mailbox") {
    const email = (u.searchParams.get("email") || "").toLowerCase();
    const list = mailbox.get(email) || [];
    mailbox.delete(email);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(list));
    return;
  }
  authHandler(req, res);
});
server.listen(port, "127.0.0.1", () => {
  console.log(`ready ${baseURL}`);
});

function stop() {
  server.close();
  pool.end().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
if (process.env.EXIT_ON_STDIN_CLOSE !== "0") {
  process.stdin.on("end", stop);
  process.stdin.on("error", stop);
  process.stdin.resume();
}
