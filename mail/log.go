package mail

import (
	"context"
	"log/slog"
)

// Log is the development mailer: with no SMTP server configured, each message is written to the
// server log (links included, so a developer can follow them) instead of being sent.
type Log struct {
	log *slog.Logger
}

// NewLog writes messages to logger.
func NewLog(logger *slog.Logger) *Log { return &Log{log: logger} }

// Send logs the message; it never fails.
func (l *Log) Send(ctx context.Context, m Message) error {
	l.log.LogAttrs(ctx, slog.LevelInfo, "mail not sent (SMTP_URL is not set); its text follows",
		slog.String("to", m.To), slog.String("subject", m.Subject), slog.String("text", m.Text))
	return nil
}
