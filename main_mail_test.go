package main

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"todo/internal/apptest"
	"todo/internal/pgtest"
	"todo/internal/smtptest"
)

// Mail configuration at start-up, on the real binary: a bad SMTP_URL or MAIL_FROM stops it at once
// without showing the SMTP password; without SMTP_URL one warning line says mail goes to the log;
// with it, a reset mail reaches a real SMTP server and its link never reaches the output.

func TestBadMailConfigurationExitsAtOnceNamingTheVariable(t *testing.T) {
	good := "DATABASE_URL=postgres://todo:x@127.0.0.1:5/todo?sslmode=disable"
	secret := "BETTER_AUTH_SECRET=" + testSecret
	for name, tc := range map[string]struct{ env, want string }{
		"smtp url with another scheme": {"SMTP_URL=http://mailer:" + password + "@mail.example.com", "SMTP_URL"},
		"smtp url without a host":      {"SMTP_URL=smtp://mailer:" + password + "@:25", "SMTP_URL"},
		"smtp url with a bad escape":   {"SMTP_URL=smtp://mailer:" + password + "%zz@mail.example.com", "SMTP_URL"},
		"smtp port out of range":       {"SMTP_URL=smtps://mailer:" + password + "@mail.example.com:70000", "SMTP_URL"},
		"mail from not an address":     {"MAIL_FROM=todo at example", "MAIL_FROM"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := start(t, t.TempDir(), good, secret, tc.env, "PORT="+strconv.Itoa(apptest.FreePort(t)))
			if code := p.wait(t, 5*time.Second); code == 0 {
				t.Fatal("exit code 0, want non-zero")
			}
			if p.Ran() > time.Second {
				t.Errorf("took %v, want under 1s", p.Ran())
			}
			checkStderrLine(t, p.stderr.String(), tc.want)
			if strings.Contains(p.stderr.String()+p.stdout.String(), password) {
				t.Errorf("the output shows the SMTP password: %q", p.stderr.String())
			}
		})
	}
}

func TestMailAtStartUpAndThroughSMTP(t *testing.T) {
	dbURL := pgtest.NewDatabase(t)
	run := func(t *testing.T, extra ...string) (*proc, string) {
		port := apptest.FreePort(t)
		base := "http://127.0.0.1:" + strconv.Itoa(port)
		env := append([]string{"DATABASE_URL=" + dbURL, "BETTER_AUTH_SECRET=" + testSecret, "BETTER_AUTH_URL=" + base,
			"PORT=" + strconv.Itoa(port), "DB_CONNECT_TIMEOUT=10s"}, extra...)
		p := start(t, t.TempDir(), env...)
		if err := p.WaitReady(context.Background(), base+"/readyz", 20*time.Millisecond, 20*time.Second); err != nil {
			t.Fatalf("not ready: %v\n%s", err, p.stdout.String())
		}
		return p, base
	}
	stop := func(t *testing.T, p *proc) {
		if err := p.Stop(15 * time.Second); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("without SMTP_URL one warning line says mail goes to the log", func(t *testing.T) {
		p, _ := run(t)
		stop(t, p)
		var warnings []string
		for _, l := range logLines(t, p.stdout.String()) {
			if msg, _ := l["msg"].(string); strings.Contains(msg, "SMTP_URL") {
				warnings = append(warnings, l["level"].(string)+" "+msg)
			}
		}
		if len(warnings) != 1 || !strings.HasPrefix(warnings[0], "WARN ") {
			t.Fatalf("lines about SMTP_URL at start-up: %q, want one warning", warnings)
		}
	})

	t.Run("with SMTP_URL the reset mail arrives and its link is in no output", func(t *testing.T) {
		sink, err := smtptest.Start(smtptest.Options{Username: "mailer", Password: "relay-pw", STARTTLS: true})
		if err != nil {
			t.Fatal(err)
		}
		defer sink.Close()
		// The server's certificate is self-signed: the binary trusts it through SSL_CERT_FILE, as a
		// deployment with a private CA would.
		ca := filepath.Join(t.TempDir(), "ca.pem")
		if err := sink.WriteCA(ca); err != nil {
			t.Fatal(err)
		}
		p, base := run(t, "SMTP_URL="+sink.URL(), "MAIL_FROM=Todo Test <todo@example.test>", "SSL_CERT_FILE="+ca)
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		form := url.Values{"name": {"Mia Mail"}, "email": {"mia@example.com"}, "password": {"password-123"}}
		if resp, err := client.PostForm(base+"/sign-up", form); err != nil || resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign-up: %v %v", resp, err)
		}
		resp, err := client.PostForm(base+"/forgot-password", url.Values{"email": {"mia@example.com"}})
		if err != nil || resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("forgot-password: %v %v", resp, err)
		}
		m, err := sink.WaitFor("mia@example.com", 10*time.Second)
		if err != nil {
			t.Fatalf("%v\n%s", err, p.stdout.String())
		}
		link := regexp.MustCompile(regexp.QuoteMeta(base) + `/reset-password\?token=([A-Za-z0-9]{24})`).FindStringSubmatch(m.Text)
		if link == nil || m.User != "mailer" || !m.TLS || !strings.Contains(m.Header.Get("From"), "Todo Test") {
			t.Fatalf("mail from %q, user %q:\n%s", m.Header.Get("From"), m.User, m.Text)
		}
		if resp, err := client.Get(link[0]); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET the link: %v %v", resp, err)
		}
		stop(t, p)
		out := p.stdout.String() + p.stderr.String()
		if strings.Contains(out, link[1]) || strings.Contains(out, "relay-pw") {
			t.Fatalf("the output holds the reset token or the SMTP password:\n%s", out)
		}
		if !strings.Contains(out, "mail goes out through SMTP") || strings.Contains(out, "SMTP_URL is not set") {
			t.Fatalf("start-up does not say where mail goes:\n%s", out)
		}
	})
}
