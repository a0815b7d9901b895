// Package e2e drives the built app in real Chromium through playwright-go: the app binary is
// started against its own scratch PostgreSQL database and every user is a browser context of its own.
// The tests need `make test` (or scripts/test.sh), which provides the template database, node and
// Debian's chromium; nothing here downloads a browser or a driver.
package e2e
