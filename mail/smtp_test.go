package mail_test

import (
	"context"
	"crypto/tls"
	"strings"
	"testing"
	"time"

	"todo/internal/smtptest"
	"todo/mail"
)

func TestParseURL(t *testing.T) {
	good := map[string]mail.Server{
		"smtp://mail.example.com":                   {Host: "mail.example.com", Port: 587},
		"smtp://u%40x:p%3Ass@mail.example.com:2525": {Host: "mail.example.com", Port: 2525, Username: "u@x", Password: "p:ss"},
		"smtps://mail.example.com":                  {Host: "mail.example.com", Port: 465, Implicit: true},
		"smtps://[::1]:1465/":                       {Host: "::1", Port: 1465, Implicit: true},
	}
	for raw, want := range good {
		got, err := mail.ParseURL(raw)
		if err != nil || got != want {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v", raw, got, err, want)
		}
	}
	for _, raw := range []string{"http://mail.example.com", "smtp://", "smtp://user:s3cret@host:99999",
		"smtp://user:s3cret@host:port", "smtp://user:s3cret@host/path", "mail.example.com", "smtp://user:s3%zzcret@host"} {
		_, err := mail.ParseURL(raw)
		if err == nil {
			t.Errorf("ParseURL(%q) accepted", raw)
			continue
		}
		if !strings.Contains(err.Error(), "SMTP_URL") || strings.Contains(err.Error(), "s3") {
			t.Errorf("ParseURL(%q): %q must name SMTP_URL and never show the password", raw, err)
		}
	}
	s, _ := mail.ParseURL("smtp://me:s3cret@mail.example.com:25")
	if got := s.String(); got != "smtp://me@mail.example.com:25" {
		t.Errorf("String() = %q", got)
	}
}

func TestParseFrom(t *testing.T) {
	a, err := mail.ParseFrom(" Todo <todo@example.com> ")
	if err != nil || a.Name != "Todo" || a.Address != "todo@example.com" {
		t.Fatalf("ParseFrom = %v, %v", a, err)
	}
	if _, err := mail.ParseFrom("not an address"); err == nil || !strings.Contains(err.Error(), "MAIL_FROM") {
		t.Fatalf("ParseFrom(bad) = %v", err)
	}
}

// One message through a real SMTP server in each of the ways SMTP_URL allows: plain (the server
// offers no STARTTLS), STARTTLS with a password, and implicit TLS; both bodies arrive intact.
func TestSendThroughARealServer(t *testing.T) {
	from, _ := mail.ParseFrom("Todo <todo@example.test>")
	msg := mail.Message{
		To:      "ann@example.test",
		Subject: "Reset your password — Todo",
		Text:    "Hello Ann,\n\nopen http://127.0.0.1:8080/reset-password?token=abc to choose a new password.\n",
		HTML:    `<p>Hello Ann,</p><p><a href="http://127.0.0.1:8080/reset-password?token=abc">Choose a new password</a></p>`,
	}
	cases := []struct {
		name    string
		opts    smtptest.Options
		wantTLS bool
	}{
		{"plain, no STARTTLS offered", smtptest.Options{}, false},
		{"STARTTLS with a password", smtptest.Options{STARTTLS: true, Username: "mailer", Password: "p@ss:word"}, true},
		{"implicit TLS", smtptest.Options{Implicit: true}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sink, err := smtptest.Start(c.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer sink.Close()
			server, err := mail.ParseURL(sink.URL())
			if err != nil {
				t.Fatal(err)
			}
			var tlsConfig *tls.Config
			if c.wantTLS {
				tlsConfig = sink.ClientTLS()
			}
			if err := mail.NewSMTP(server, from, tlsConfig).Send(context.Background(), msg); err != nil {
				t.Fatal(err)
			}
			got, err := sink.WaitFor("ann@example.test", 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if got.TLS != c.wantTLS || got.User != c.opts.Username {
				t.Errorf("TLS %v, user %q; want %v, %q", got.TLS, got.User, c.wantTLS, c.opts.Username)
			}
			if got.Subject != msg.Subject || got.From != "todo@example.test" || got.Header.Get("To") != "<ann@example.test>" {
				t.Errorf("subject %q, envelope from %q, To %q", got.Subject, got.From, got.Header.Get("To"))
			}
			if strings.TrimSpace(got.Text) != strings.TrimSpace(msg.Text) || strings.TrimSpace(got.HTML) != msg.HTML {
				t.Errorf("bodies:\ntext %q\nhtml %q", got.Text, got.HTML)
			}
			if got.Header.Get("Message-Id") == "" || got.Header.Get("Date") == "" {
				t.Errorf("no Message-ID or Date: %v", got.Header)
			}
		})
	}
}

// A wrong password is an error, and an untrusted certificate too: nothing is sent in the clear
// after a failed STARTTLS handshake.
func TestSendRefusals(t *testing.T) {
	from, _ := mail.ParseFrom("todo@example.test")
	msg := mail.Message{To: "ann@example.test", Subject: "s", Text: "t", HTML: "<p>t</p>"}
	sink, err := smtptest.Start(smtptest.Options{STARTTLS: true, Username: "mailer", Password: "right"})
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	server, _ := mail.ParseURL("smtp://mailer:wrong@" + sink.Addr())
	err = mail.NewSMTP(server, from, sink.ClientTLS()).Send(context.Background(), msg)
	if err == nil || strings.Contains(err.Error(), "wrong") {
		t.Fatalf("wrong password: %v (must fail, without showing the password)", err)
	}
	server, _ = mail.ParseURL("smtp://mailer:right@" + sink.Addr())
	if err := mail.NewSMTP(server, from, nil).Send(context.Background(), msg); err == nil {
		t.Fatal("a self-signed certificate was accepted without being trusted")
	}
	if n := len(sink.Messages()); n != 0 {
		t.Fatalf("%d messages arrived", n)
	}
}
