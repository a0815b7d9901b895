// Package faultproxy is a TCP proxy for tests that sits between the app and PostgreSQL and misbehaves
// on demand, the way a network or a serverless database does: it can delay new connections (a
// compute waking up), cut the open ones (a compute suspended or restarted), refuse new ones (the host
// down) and swallow traffic silently (a network partition).
package faultproxy

import (
	"net"
	"sync"
	"time"
)

// Proxy forwards every connection made to Addr to the target address.
type Proxy struct {
	target string
	addr   string

	mu        sync.Mutex
	ln        net.Listener // nil while refusing
	links     map[*link]struct{}
	delay     time.Duration // before a new connection reaches the target
	blackhole bool          // bytes in either direction are dropped, connections stay open
	accepted  int
	closed    bool
	wg        sync.WaitGroup
}

type link struct {
	client, server net.Conn
}

func (l *link) close() {
	// Reset rather than a polite FIN, like a dead host or a killed process would leave it.
	if tc, ok := l.client.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	l.client.Close()
	if l.server != nil {
		l.server.Close()
	}
}

// New starts a proxy on a free local port in front of target ("host:port").
func New(target string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{target: target, addr: ln.Addr().String(), ln: ln, links: map[*link]struct{}{}}
	p.serve(ln)
	return p, nil
}

// Addr is where clients connect: "127.0.0.1:port". It stays the same across Refuse and Restore.
func (p *Proxy) Addr() string { return p.addr }

// Accepted is how many connections the proxy has accepted so far.
func (p *Proxy) Accepted() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.accepted
}

// Open is how many connections are open through the proxy now.
func (p *Proxy) Open() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.links)
}

// SetConnectDelay makes each new connection wait d before it is connected through (0: none).
func (p *Proxy) SetConnectDelay(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.delay = d
}

// Blackhole drops all traffic, in both directions, on open and new connections, until Restore:
// nothing is refused or reset, nothing answers.
func (p *Proxy) Blackhole() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.blackhole = true
}

// Cut resets every open connection. New connections still go through.
func (p *Proxy) Cut() {
	p.mu.Lock()
	links := p.links
	p.links = map[*link]struct{}{}
	p.mu.Unlock()
	for l := range links {
		l.close()
	}
}

// Refuse stops listening: new connections are refused (ECONNREFUSED) until Restore. Open ones are
// left alone (Cut them too for a full outage).
func (p *Proxy) Refuse() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
}

// Outage is Refuse and Cut: the database is gone.
func (p *Proxy) Outage() {
	p.Refuse()
	p.Cut()
}

// Restore ends Refuse and Blackhole and removes the connect delay: the database is back.
func (p *Proxy) Restore() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.blackhole = false
	p.delay = 0
	if p.ln == nil && !p.closed {
		ln, err := net.Listen("tcp", p.addr)
		if err != nil {
			return err
		}
		p.ln = ln
		p.serve(ln)
	}
	return nil
}

// Close stops the proxy and resets every connection.
func (p *Proxy) Close() {
	p.mu.Lock()
	p.closed = true
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	p.mu.Unlock()
	p.Cut()
	p.wg.Wait()
}

func (p *Proxy) serve(ln net.Listener) {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return // closed by Refuse or Close
			}
			p.mu.Lock()
			p.accepted++
			l := &link{client: c}
			p.links[l] = struct{}{}
			delay := p.delay
			p.mu.Unlock()
			p.wg.Add(1)
			go func() {
				defer p.wg.Done()
				p.forward(l, delay)
			}()
		}
	}()
}

func (p *Proxy) forward(l *link, delay time.Duration) {
	defer p.drop(l)
	if delay > 0 {
		time.Sleep(delay)
	}
	s, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	p.mu.Lock()
	_, alive := p.links[l]
	if alive {
		l.server = s
	}
	p.mu.Unlock()
	if !alive { // cut while connecting
		s.Close()
		return
	}
	done := make(chan struct{}, 2)
	go func() { p.pipe(s, l.client); done <- struct{}{} }()
	go func() { p.pipe(l.client, s); done <- struct{}{} }()
	<-done // either side ending ends both
}

// pipe copies src to dst chunk by chunk, dropping chunks while the proxy is a black hole.
func (p *Proxy) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.mu.Lock()
			drop := p.blackhole
			p.mu.Unlock()
			if !drop {
				if _, werr := dst.Write(buf[:n]); werr != nil {
					return
				}
			}
		}
		if err != nil { // EOF, or the connection was cut
			return
		}
	}
}

func (p *Proxy) drop(l *link) {
	p.mu.Lock()
	delete(p.links, l)
	p.mu.Unlock()
	l.close()
}
