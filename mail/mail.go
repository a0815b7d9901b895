// Package mail sends the app's email: a real SMTP client (wneessen/go-mail) configured by SMTP_URL,
// or, without one, a development mailer that writes each message to the server log.
package mail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
)

// Message is one email: a plain-text body and the same content as HTML.
type Message struct {
	To      string // one address
	Subject string
	Text    string
	HTML    string
}

// Sender delivers a message or says why it could not.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Server is where SMTP_URL points: smtp:// (STARTTLS whenever the server offers it) or smtps://
// (TLS from the first byte), with optional credentials.
type Server struct {
	Host     string
	Port     int
	Implicit bool // smtps://
	Username string
	Password string
}

// Default ports: mail submission (RFC 6409) and submission over implicit TLS (RFC 8314).
const (
	submissionPort    = 587
	submissionTLSPort = 465
)

// ParseURL reads SMTP_URL. Its errors name the variable and never contain the password.
func ParseURL(raw string) (Server, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Server{}, errors.New("SMTP_URL is not a valid URL (expected smtp://user:pass@host:port or smtps://…; " +
			"percent-encode @ : / in the user name and password; the value is not shown)")
	}
	var s Server
	switch u.Scheme {
	case "smtp":
		s.Port = submissionPort
	case "smtps":
		s.Implicit, s.Port = true, submissionTLSPort
	default:
		return Server{}, fmt.Errorf("SMTP_URL must start with smtp:// or smtps://, got %q://", u.Scheme)
	}
	s.Host = u.Hostname()
	if s.Host == "" {
		return Server{}, errors.New("SMTP_URL has no host (expected smtp://user:pass@host:port)")
	}
	if p := u.Port(); p != "" {
		if s.Port, err = strconv.Atoi(p); err != nil || s.Port < 1 || s.Port > 65535 {
			return Server{}, fmt.Errorf("SMTP_URL: the port %q is not a number from 1 to 65535", p)
		}
	}
	if u.Path != "" && u.Path != "/" {
		return Server{}, errors.New("SMTP_URL takes no path: smtp://user:pass@host:port")
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	return s, nil
}

// Addr is host:port.
func (s Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// String describes the server without its password, for the start-up log.
func (s Server) String() string {
	scheme := "smtp"
	if s.Implicit {
		scheme = "smtps"
	}
	user := ""
	if s.Username != "" {
		user = s.Username + "@"
	}
	return scheme + "://" + user + s.Addr()
}

// ParseFrom reads MAIL_FROM: an address, optionally with a display name ("Todo <todo@example.com>").
func ParseFrom(raw string) (*mail.Address, error) {
	a, err := mail.ParseAddress(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("MAIL_FROM is not an email address (like \"Todo <todo@example.com>\"): %q", raw)
	}
	return a, nil
}
