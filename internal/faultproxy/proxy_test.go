package faultproxy

import (
	"bufio"
	"io"
	"net"
	"testing"
	"time"
)

// echo is a line echo server standing in for PostgreSQL.
func echo(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { defer c.Close(); io.Copy(c, c) }()
		}
	}()
	return ln.Addr().String()
}

func roundTrip(c net.Conn, timeout time.Duration) (string, error) {
	c.SetDeadline(time.Now().Add(timeout))
	if _, err := c.Write([]byte("ping\n")); err != nil {
		return "", err
	}
	return bufio.NewReader(c).ReadString('\n')
}

func TestProxyForwardsCutsRefusesDelaysAndSwallows(t *testing.T) {
	p, err := New(echo(t))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()

	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	if got, err := roundTrip(c, time.Second); err != nil || got != "ping\n" {
		t.Fatalf("through the proxy: %q, %v", got, err)
	}

	p.Cut()
	if _, err := roundTrip(c, time.Second); err == nil {
		t.Fatal("a cut connection still answers")
	}

	p.Refuse()
	if c, err := net.Dial("tcp", p.Addr()); err == nil {
		c.Close()
		t.Fatal("a refusing proxy accepted a connection")
	}
	if err := p.Restore(); err != nil {
		t.Fatal(err)
	}

	p.SetConnectDelay(300 * time.Millisecond)
	// The delay starts when the proxy accepts, which may be before Dial returns here.
	start := time.Now()
	c, err = net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	if got, err := roundTrip(c, 2*time.Second); err != nil || got != "ping\n" {
		t.Fatalf("delayed connection: %q, %v", got, err)
	}
	if took := time.Since(start); took < 300*time.Millisecond {
		t.Fatalf("connect delay of 300ms took %v", took)
	}
	p.SetConnectDelay(0)

	p.Blackhole()
	if _, err := roundTrip(c, 300*time.Millisecond); err == nil {
		t.Fatal("a black hole answered")
	}
	c.Close()
	if err := p.Restore(); err != nil {
		t.Fatal(err)
	}
	c, err = net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got, err := roundTrip(c, time.Second); err != nil || got != "ping\n" {
		t.Fatalf("after Restore: %q, %v", got, err)
	}
	if p.Accepted() != 3 {
		t.Fatalf("accepted %d connections, want 3", p.Accepted())
	}
}
