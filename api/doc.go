// Package api is the JSON API under /api/: the same tasks as the HTML app, for a separate frontend
// (Next.js with Better Auth, say), mobile apps, CLIs and scripts. It is built on the domain package
// (todo) and the store like the HTML app, and authenticates the way a Better Auth server does: the
// session cookie, the bearer plugin's token, or the jwt plugin's signed token, each checked here.
// Answers are JSON; errors are RFC 9457 problem documents. openapi.json describes all of it.
package api
