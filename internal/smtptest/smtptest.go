// Package smtptest runs a real SMTP server (emersion/go-smtp) on a loopback port for tests: it
// accepts every message, optionally over STARTTLS or implicit TLS and with a password, and hands
// each one to the test already parsed (headers, plain-text and HTML parts decoded).
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one received email.
type Message struct {
	From    string   // envelope sender
	To      []string // envelope recipients
	Header  mail.Header
	Subject string // decoded
	Text    string // the text/plain part, decoded
	HTML    string // the text/html part, decoded
	Raw     []byte
	TLS     bool   // the message came over an encrypted connection
	User    string // the user name the client authenticated with, or ""
}

// Options choose how the server speaks.
type Options struct {
	STARTTLS bool   // offer STARTTLS on a plain listener
	Implicit bool   // TLS from the first byte (smtps)
	Username string // when set, AUTH PLAIN with this user and Password is offered and required
	Password string
}

// Sink is a running server and the messages it received.
type Sink struct {
	server   *smtp.Server
	listener net.Listener
	opts     Options
	roots    *x509.CertPool
	caPEM    []byte // the certificate, for SSL_CERT_FILE

	mu       sync.Mutex
	messages []Message
	taken    []bool        // handed out by WaitFor
	arrived  chan struct{} // closed and replaced on every message
	rejects  int           // failed authentications
}

// Start listens on 127.0.0.1 on a free port.
func Start(opts Options) (*Sink, error) {
	s := &Sink{opts: opts, arrived: make(chan struct{})}
	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.MaxMessageBytes = 1 << 20
	srv.ErrorLog = discardLogger{}
	if opts.STARTTLS || opts.Implicit {
		cert, roots, err := selfSigned()
		if err != nil {
			return nil, err
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
		s.roots = roots
		s.caPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]})
	}
	var l net.Listener
	var err error
	if opts.Implicit {
		l, err = tls.Listen("tcp", "127.0.0.1:0", srv.TLSConfig)
	} else {
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		return nil, err
	}
	s.server, s.listener = srv, l
	go srv.Serve(l)
	return s, nil
}

// Close stops the server.
func (s *Sink) Close() error { return s.server.Close() }

// Addr is host:port.
func (s *Sink) Addr() string { return s.listener.Addr().String() }

// URL is the SMTP_URL that reaches this server.
func (s *Sink) URL() string {
	scheme := "smtp"
	if s.opts.Implicit {
		scheme = "smtps"
	}
	user := ""
	if s.opts.Username != "" {
		user = s.opts.Username + ":" + s.opts.Password + "@"
	}
	return scheme + "://" + user + s.Addr()
}

// ClientTLS is the TLS configuration a client needs to trust this server's certificate.
func (s *Sink) ClientTLS() *tls.Config {
	return &tls.Config{RootCAs: s.roots, ServerName: "localhost", MinVersion: tls.VersionTLS12}
}

// WriteCA writes the server's certificate as PEM to path: a process started with SSL_CERT_FILE=path
// trusts it (Go reads that variable for its system roots).
func (s *Sink) WriteCA(path string) error {
	if s.caPEM == nil {
		return errors.New("smtptest: this server has no TLS")
	}
	return os.WriteFile(path, s.caPEM, 0o644)
}

// Messages is every message received so far.
func (s *Sink) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// FailedLogins counts refused AUTH attempts.
func (s *Sink) FailedLogins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rejects
}

// WaitFor waits up to limit for a message to rcpt that the server had not handed out by this
// method before, and returns the first such one.
func (s *Sink) WaitFor(rcpt string, limit time.Duration) (Message, error) {
	deadline := time.After(limit)
	for {
		s.mu.Lock()
		for i, m := range s.messages {
			if !s.taken[i] && contains(m.To, rcpt) {
				s.taken[i] = true // the next WaitFor looks further
				s.mu.Unlock()
				return m, nil
			}
		}
		arrived := s.arrived
		s.mu.Unlock()
		select {
		case <-arrived:
		case <-deadline:
			return Message{}, fmt.Errorf("no mail to %s within %v", rcpt, limit)
		}
	}
}

// CountTo is how many messages to rcpt arrived so far.
func (s *Sink) CountTo(rcpt string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, m := range s.messages {
		if contains(m.To, rcpt) {
			n++
		}
	}
	return n
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

func (s *Sink) deliver(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, m)
	s.taken = append(s.taken, false)
	close(s.arrived)
	s.arrived = make(chan struct{})
}

func (s *Sink) newSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	return &session{sink: s, conn: c, tls: isTLS}, nil
}

type session struct {
	sink *Sink
	conn *smtp.Conn
	tls  bool
	user string
	from string
	to   []string
}

func (se *session) AuthMechanisms() []string {
	if se.sink.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (se *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != se.sink.opts.Username || password != se.sink.opts.Password {
			se.sink.mu.Lock()
			se.sink.rejects++
			se.sink.mu.Unlock()
			return smtp.ErrAuthFailed
		}
		se.user = username
		return nil
	}), nil
}

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	if se.sink.opts.Username != "" && se.user == "" {
		return smtp.ErrAuthRequired
	}
	se.from = from
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	se.to = append(se.to, to)
	return nil
}

func (se *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := se.conn.TLSConnectionState()
	m, err := parse(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, Message: "cannot parse the message: " + err.Error()}
	}
	m.From, m.To, m.TLS, m.User = se.from, se.to, isTLS || se.tls, se.user
	se.sink.deliver(m)
	return nil
}

func (se *session) Reset()        { se.from, se.to = "", nil }
func (se *session) Logout() error { return nil }

// parse reads the headers and finds the text and HTML parts, however nested.
func parse(raw []byte) (Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, err
	}
	m := Message{Header: msg.Header, Raw: raw}
	dec := new(mime.WordDecoder)
	if m.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return Message{}, err
	}
	err = walk(msg.Header, msg.Body, &m)
	return m, err
}

// header is what mail.Header and a MIME part's header have in common.
type header interface{ Get(string) string }

func walk(h header, body io.Reader, m *Message) error {
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		mediaType = "text/plain"
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := walk(p.Header, p, m); err != nil {
				return err
			}
		}
	}
	var r io.Reader = body
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, &stripNewlines{r: body})
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	// SMTP carries lines ending in CRLF; the test reads them as the sender wrote them.
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	switch mediaType {
	case "text/plain":
		m.Text = text
	case "text/html":
		m.HTML = text
	}
	return nil
}

// stripNewlines drops CR and LF, which base64 bodies carry every 76 characters.
type stripNewlines struct{ r io.Reader }

func (s *stripNewlines) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	j := 0
	for _, b := range p[:n] {
		if b != '\r' && b != '\n' {
			p[j] = b
			j++
		}
	}
	return j, err
}

// selfSigned makes a certificate for localhost and 127.0.0.1, and the pool that trusts it.
func selfSigned() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "localhost"},
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}, roots, nil
}

type discardLogger struct{}

func (discardLogger) Printf(string, ...interface{}) {}
func (discardLogger) Println(...interface{})        {}
