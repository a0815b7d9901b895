package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"todo/internal/apptest"
	"todo/internal/pgtest"
	"todo/internal/smtptest"
)

// The package's one app, database, Playwright and browser, shared by the tests (each user still gets
// a browser context of its own). Set up once by TestMain; read-only afterwards.
var (
	repoRoot string         // the module root, where node_modules and the sources are
	workDir  string         // this run's scratch directory: app binary, logs, Playwright driver link
	appBin   string         // the server built from the working tree
	shared   *app           // the server most scenarios talk to
	mailbox  *smtptest.Sink // the SMTP server shared sends its mail to
)

func TestMain(m *testing.M) { os.Exit(runSuite(m)) }

// runSuite sets up, runs the tests and tears down in reverse order; any set-up failure is one clear
// line and exit status 1.
func runSuite(m *testing.M) int {
	fail := func(err error) int {
		fmt.Fprintln(os.Stderr, "e2e set-up:", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	var err error
	if repoRoot, err = filepath.Abs(".."); err != nil {
		return fail(err)
	}
	if workDir, err = os.MkdirTemp("", "todo-e2e-"); err != nil {
		return fail(err)
	}
	defer os.RemoveAll(workDir)

	if appBin, err = apptest.Build(ctx, workDir); err != nil {
		return fail(err)
	}
	dbURL, drop, err := pgtest.CreateDatabase(ctx, "e2e")
	if err != nil {
		return fail(err)
	}
	defer func() {
		if err := drop(); err != nil {
			fmt.Fprintln(os.Stderr, "e2e tear-down:", err)
		}
	}()
	if mailbox, err = smtptest.Start(smtptest.Options{}); err != nil {
		return fail(err)
	}
	defer mailbox.Close()
	if shared, err = newApp("app", appBin, dbURL, workDir, "SMTP_URL="+mailbox.URL()); err != nil {
		return fail(err)
	}
	defer func() {
		if err := shared.stop(); err != nil {
			fmt.Fprintln(os.Stderr, "e2e tear-down:", err)
		}
	}()
	stopBrowser, err := startBrowser()
	if err != nil {
		return fail(err)
	}
	defer stopBrowser()

	return m.Run()
}
