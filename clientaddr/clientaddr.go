// Package clientaddr tells which address a request came from, for the throttles and the sessions
// table of both the HTML app and the JSON API: the peer's address, unless the peer is a reverse proxy
// the operator named (TRUSTED_PROXIES); then X-Forwarded-For is read from its end, where each trusted
// proxy appended the address it was talking to, and the first address that is not a trusted proxy is
// the client (realclientip's rightmost-trusted-range rule). Entries before it are whatever the client
// sent, and never believed.
package clientaddr

import (
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/realclientip/realclientip-go"
)

// Resolver knows the trusted proxies. nil, and the Resolver of an empty list, trust none: the peer
// is the client.
type Resolver struct {
	trusted   []net.IPNet
	forwarded realclientip.RightmostTrustedRangeStrategy
}

// Parse reads TRUSTED_PROXIES: comma-separated CIDRs ("10.0.0.0/8") or single addresses
// ("127.0.0.1", "::1"). Empty: none.
func Parse(list string) (*Resolver, error) {
	var items []string
	for _, item := range strings.Split(list, ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	if len(items) == 0 {
		return nil, nil
	}
	for _, item := range items {
		if _, err := realclientip.AddressesAndRangesToIPNets(item); err != nil || strings.Count(item, "/") > 1 {
			return nil, fmt.Errorf("TRUSTED_PROXIES: %q is not an IP address or a CIDR such as 10.0.0.0/8", item)
		}
	}
	trusted, _ := realclientip.AddressesAndRangesToIPNets(items...)
	forwarded, err := realclientip.NewRightmostTrustedRangeStrategy("X-Forwarded-For", trusted)
	if err != nil {
		return nil, fmt.Errorf("TRUSTED_PROXIES: %v", err)
	}
	return &Resolver{trusted: trusted, forwarded: forwarded}, nil
}

// Of is the client address of req, without a port.
func (r *Resolver) Of(req *http.Request) string {
	peer := realclientip.RemoteAddrStrategy{}.ClientIP(nil, req.RemoteAddr)
	if peer == "" { // not an IP address (a Unix socket): as it is
		return req.RemoteAddr
	}
	if r == nil || !r.trusts(peer) {
		return peer
	}
	// No header, a garbled entry, or only trusted hops: the proxy itself is all that is known.
	if client := r.forwarded.ClientIP(req.Header, req.RemoteAddr); client != "" {
		return client
	}
	return peer
}

func (r *Resolver) trusts(addr string) bool {
	host, _ := realclientip.SplitHostZone(addr)
	ip := net.ParseIP(host)
	for _, n := range r.trusted {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}
