package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/mail"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// sendTimeout bounds one delivery: connecting, the TLS handshake, authentication and the message.
const sendTimeout = 15 * time.Second

// SMTP delivers through an SMTP server.
type SMTP struct {
	server Server
	from   *mail.Address
	tls    *tls.Config // nil: the system's roots, verified against the host name
}

// NewSMTP sends through server as from. tlsConfig may be nil (the system's certificate roots).
func NewSMTP(server Server, from *mail.Address, tlsConfig *tls.Config) *SMTP {
	return &SMTP{server: server, from: from, tls: tlsConfig}
}

// Send delivers one message. smtp:// upgrades with STARTTLS whenever the server offers it and
// carries on in plain text only when it does not (go-mail's opportunistic policy); smtps:// speaks
// TLS from the start. Credentials are sent only when the URL has them.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg()
	msg.FromMailAddress(s.from)
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("mail: recipient: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)

	opts := []gomail.Option{gomail.WithPort(s.server.Port), gomail.WithTimeout(sendTimeout)}
	if s.server.Implicit {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if s.tls != nil {
		opts = append(opts, gomail.WithTLSConfig(s.tls))
	}
	if s.server.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.server.Username), gomail.WithPassword(s.server.Password))
	}
	client, err := gomail.NewClient(s.server.Host, opts...)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: sending through %s: %w", s.server, err)
	}
	return nil
}
