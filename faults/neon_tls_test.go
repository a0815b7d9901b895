package faults_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"todo/internal/apptest"
	"todo/store"
	"todo/todo"
	"todo/web/auth"
)

// Neon's connection string, for real: a PostgreSQL of our own with TLS on (a certificate made here),
// SCRAM-SHA-256 passwords and only hostssl in pg_hba.conf, reached with the URL form Neon hands out
// (?sslmode=require&channel_binding=require). The schema goes on with dbmate over the same URL.

// tlsCluster is a throwaway PostgreSQL cluster with TLS.
type tlsCluster struct {
	bindir, data string
	port         int
	password     string
	certFile     string   // the server's self-signed certificate, its own CA
	asOwner      []string // runuser -u postgres -- (as root: PostgreSQL refuses to run as root)
}

func pgBindir(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("initdb"); err == nil {
		if p, err = filepath.EvalSymlinks(p); err == nil {
			if _, err := os.Stat(filepath.Join(filepath.Dir(p), "pg_ctl")); err == nil {
				return filepath.Dir(p)
			}
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { // newest major version last
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return vi < vj
	})
	if len(dirs) == 0 {
		t.Fatal("PostgreSQL server binaries not found (Debian: apt-get install postgresql)")
	}
	return dirs[len(dirs)-1]
}

func (c *tlsCluster) run(t *testing.T, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(filepath.Join(c.bindir, name), args...)
	if len(c.asOwner) > 0 {
		cmd = exec.Command(c.asOwner[0], append(append(c.asOwner[1:], filepath.Join(c.bindir, name)), args...)...)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.data, "server.log"))
		t.Fatalf("%s %v: %v\n%s\n%s", name, args, err, out, log)
	}
}

func startTLSCluster(t *testing.T) *tlsCluster {
	t.Helper()
	c := &tlsCluster{bindir: pgBindir(t), port: apptest.FreePort(t)}
	// Under /tmp: the postgres user must reach it (it cannot under a mode-700 /root).
	dir, err := os.MkdirTemp("/tmp", "todo-tls-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	c.data = filepath.Join(dir, "data")
	uid, gid := -1, -1
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs a postgres user to run PostgreSQL: %v", err)
		}
		uid, _ = strconv.Atoi(u.Uid)
		gid, _ = strconv.Atoi(u.Gid)
		c.asOwner = []string{"runuser", "-u", "postgres", "--"}
		os.Chown(dir, uid, gid)
	}
	secret := make([]byte, 12)
	rand.Read(secret)
	c.password = hex.EncodeToString(secret)
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if uid >= 0 {
			os.Chown(p, uid, gid)
		}
		return p
	}
	pwfile := write("pw", []byte(c.password))
	c.run(t, "initdb", "-D", c.data, "-U", "todo", "--pwfile="+pwfile, "--auth-host=scram-sha-256",
		"--auth-local=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8")

	certPEM, keyPEM := selfSignedCert(t)
	cert, key := write("server.crt", certPEM), write("server.key", keyPEM)
	c.certFile = cert
	conf, err := os.OpenFile(filepath.Join(c.data, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conf, "\nlisten_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = ''\n"+
		"ssl = on\nssl_cert_file = '%s'\nssl_key_file = '%s'\npassword_encryption = 'scram-sha-256'\n", c.port, cert, key)
	conf.Close()
	c.setHBA(t, "scram-sha-256")
	c.run(t, "pg_ctl", "-D", c.data, "-l", filepath.Join(c.data, "server.log"), "-w", "-t", "30", "start")
	t.Cleanup(func() { c.run(t, "pg_ctl", "-D", c.data, "-m", "immediate", "-w", "stop") })
	return c
}

// setHBA allows TCP connections over TLS only, authenticated by method.
func (c *tlsCluster) setHBA(t *testing.T, method string) {
	t.Helper()
	hba := "# TLS only: a connection without it matches no line and is refused\n" +
		"hostssl all all 127.0.0.1/32 " + method + "\n"
	if err := os.WriteFile(filepath.Join(c.data, "pg_hba.conf"), []byte(hba), 0o600); err != nil {
		t.Fatal(err)
	}
	if len(c.asOwner) > 0 {
		u, _ := user.Lookup("postgres")
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		os.Chown(filepath.Join(c.data, "pg_hba.conf"), uid, gid)
	}
}

func (c *tlsCluster) reload(t *testing.T) {
	t.Helper()
	c.run(t, "pg_ctl", "-D", c.data, "reload") // only signals: the caller waits for the effect
}

func (c *tlsCluster) url(db, params string) string {
	return fmt.Sprintf("postgresql://todo:%s@127.0.0.1:%d/%s?%s", c.password, c.port, db, params)
}

// selfSignedCert makes a certificate for 127.0.0.1/localhost and its key, in PEM.
func selfSignedCert(t *testing.T) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "localhost"},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
}

func openStore(ctx context.Context, raw string) (*store.Store, error) {
	cfg, err := store.ParseURL(raw)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return store.Open(ctx, cfg)
}

func TestNeonURLFormOverTLS(t *testing.T) {
	c := startTLSCluster(t)
	ctx := context.Background()
	neon := c.url("neondb", "sslmode=require&channel_binding=require")

	// Neon creates the database; here it is made over TLS from the postgres database.
	admin, err := pgx.Connect(ctx, c.url("postgres", "sslmode=require"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, "create database neondb"); err != nil {
		t.Fatal(err)
	}
	admin.Close(ctx)

	// dbmate over TLS, as the README tells Neon users to run it. Its driver (lib/pq) does not know
	// channel_binding and sends it on as a server setting, which PostgreSQL rejects: dbmate gets the
	// URL with sslmode=require only.
	dbmate := os.Getenv("DBMATE")
	if dbmate == "" {
		t.Fatal("DBMATE is not set: run the tests with `make test` or scripts/test.sh")
	}
	migrate := func(dbURL string) error {
		cmd := exec.Command(dbmate, "--migrations-dir", "../db/migrations", "--no-dump-schema", "up")
		cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL)
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%v: %s", err, strings.TrimSpace(string(out)))
		}
		return nil
	}
	if err := migrate(neon); err != nil {
		t.Logf("dbmate with channel_binding=require: %v", err)
	}
	if err := migrate(c.url("neondb", "sslmode=require")); err != nil {
		t.Fatalf("dbmate up over TLS: %v", err)
	}

	for _, params := range []string{"sslmode=require", "sslmode=require&channel_binding=require"} {
		s, err := openStore(ctx, c.url("neondb", params))
		if err != nil {
			t.Fatalf("%s: %v", params, err)
		}
		var ssl bool
		var version string
		if err := s.Pool().QueryRow(ctx, "select ssl, version from pg_stat_ssl where pid = pg_backend_pid()").Scan(&ssl, &version); err != nil || !ssl {
			t.Fatalf("%s: ssl=%v (%v)", params, ssl, err)
		}
		// The app's own statements work on it: a user and a task, round trip.
		u, err := s.CreateUser(ctx, store.NewUser{UserID: auth.NewID(), AccountID: auth.NewID(), Name: "Neon",
			Email: "neon-" + strings.ToLower(auth.NewID()[:8]) + "@example.test", PasswordHash: "x:y"})
		if err != nil {
			t.Fatalf("%s: create user: %v", params, err)
		}
		if _, err := s.Tasks(u.ID).Create(ctx, todo.Input{Title: "over TLS"}); err != nil {
			t.Fatalf("%s: create task: %v", params, err)
		}
		page, err := s.Tasks(u.ID).List(ctx, store.ListOptions{})
		if err != nil || len(page.Tasks) != 1 {
			t.Fatalf("%s: list: %v %v", params, page, err)
		}
		s.Close()
		t.Logf("%s: connected with TLS (%s), SCRAM-SHA-256, schema by dbmate, store round trip ok", params, version)
	}

	// Without TLS, pg_hba.conf has no line for the connection: what worked above was TLS.
	if s, err := openStore(ctx, c.url("neondb", "sslmode=disable")); err == nil {
		s.Close()
		t.Fatal("a connection without TLS was accepted: the test cluster does not enforce TLS")
	}

	// channel_binding=require is enforced, not ignored: against a server that authenticates without
	// SCRAM (plain password over TLS) the client refuses, while channel_binding=prefer connects.
	c.setHBA(t, "password")
	c.reload(t)
	var refusal error
	waitUntil(t, "pg_hba.conf reloaded", 5*time.Second, func() bool {
		conn, err := pgx.Connect(ctx, c.url("neondb", "sslmode=require&channel_binding=prefer"))
		if err != nil {
			return false
		}
		conn.Close(ctx)
		cfg, err := store.ParseURL(c.url("neondb", "sslmode=require&channel_binding=require"))
		if err != nil {
			t.Fatal(err)
		}
		conn, refusal = pgx.ConnectConfig(ctx, cfg.ConnConfig)
		if refusal == nil {
			conn.Close(ctx)
		}
		return refusal != nil
	})
	if !strings.Contains(refusal.Error(), "channel binding") {
		t.Errorf("channel_binding=require against a server without SCRAM: %v", refusal)
	}
	t.Logf("channel_binding=require refused a server that does not offer SCRAM-SHA-256-PLUS: %v", refusal)
}

// A certificate the client does not trust (verify-full without the CA that signed it) is not a
// database waking up: start-up fails at once and says what is wrong, instead of retrying for the
// whole connect timeout and reporting a database that "did not answer".
func TestUntrustedCertificateFailsAtOnce(t *testing.T) {
	c := startTLSCluster(t)
	ctx := context.Background()
	open := func(params string) (time.Duration, error) {
		cfg, err := store.ParseURL(c.url("postgres", params))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(ctx, 15*time.Second) // the default DB_CONNECT_TIMEOUT
		defer cancel()
		start := time.Now()
		s, err := store.Open(ctx, cfg)
		if err == nil {
			s.Close()
		}
		return time.Since(start), err
	}

	took, err := open("sslmode=verify-full")
	t.Logf("sslmode=verify-full against a self-signed certificate: failed after %v: %v", took.Round(time.Millisecond), err)
	if err == nil {
		t.Fatal("connected to a server whose certificate nobody vouches for")
	}
	if took > 2*time.Second {
		t.Errorf("took %v: a certificate error is not worth waiting the connect timeout for", took)
	}
	for _, want := range []string{"TLS certificate", "not trusted", "unknown authority", "sslrootcert"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not say %q: %v", want, err)
		}
	}
	if strings.Contains(err.Error(), "did not answer") || strings.Contains(err.Error(), c.password) {
		t.Errorf("misleading or leaking error: %v", err)
	}

	// With the CA given, the same check passes: what failed above was the certificate's trust.
	if took, err := open("sslmode=verify-full&sslrootcert=" + c.certFile); err != nil {
		t.Fatalf("verify-full with the right CA: %v (after %v)", err, took)
	}
}
