package main

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"regexp"
	"time"
)

// P8: the big user's list pages by every sort, a tag, due=overdue and a search matching 10 tasks
// or 50,000 (seed.go gives the big and the reference user's tasks due dates, priorities, tags and
// those words), each against the reference user's default list, one connection, medians. A later
// page is the one ten "Load more" reach from the first, which must cost the same.
var p8Median = goal{limit: 1.3}

// fieldsPaths are P8's pages of the big user, by name.
var fieldsPaths = []struct{ name, path string }{
	{"sort=created (default)", "/"},
	{"sort=created&order=desc", "/?sort=created&order=desc"},
	{"sort=due", "/?sort=due"},
	{"sort=due&order=desc", "/?sort=due&order=desc"},
	{"sort=priority (high first)", "/?sort=priority"},
	{"sort=priority&order=asc", "/?sort=priority&order=asc"},
	{"sort=title", "/?sort=title"},
	{"sort=title&order=desc", "/?sort=title&order=desc"},
	{"tag=work", "/?tag=work"},
	{"due=overdue", "/?due=overdue"},
	{"q=zebra (10 tasks)", "/?q=zebra"},
	{"q=milk (50,000 tasks)", "/?q=milk"},
	{"active, tag=work", "/active?tag=work"},
	{"completed, sort=due", "/completed?sort=due"},
}

// laterPages are the pages whose eleventh page P8 measures too.
var laterPages = []string{"/", "/?sort=due&order=desc", "/?sort=priority", "/?sort=title", "/?tag=work", "/?q=milk"}

// fields runs P8: one contender per page (and later page), and the reference user's default list.
func fields(ctx context.Context, d *driver, app *process) (map[string]*sample, []string, error) {
	o := d.o
	cs := []contender{{"reference", d.pageRunner(app, d.fx.Mid, "/")}}
	var names []string
	for _, p := range fieldsPaths {
		cs = append(cs, contender{p.name, d.pageRunner(app, d.fx.Big, p.path)})
		names = append(names, p.name)
	}
	for _, first := range laterPages {
		later, err := d.followLoadMore(ctx, app, d.fx.Big, first, 10)
		if err != nil {
			return nil, nil, err
		}
		name := first + " after 10 × Load more"
		cs = append(cs, contender{name, d.pageRunner(app, d.fx.Big, later)})
		names = append(names, name)
	}
	m, err := interleave(ctx, o.Rounds, o.Round/4, o.Warmup/4, cs...)
	return m, names, err
}

// pageRunner is GET path as who, from P2's number of connections.
func (d *driver) pageRunner(p *process, who account, path string) runner {
	return d.runner(p, d.o.P2Conns, http.StatusOK, func(int, int) (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, p.base+path, nil)
		if err == nil {
			req.Header.Set("Cookie", who.Cookie)
		}
		return req, err
	})
}

var loadMoreLink = regexp.MustCompile(`href="([^"]*)"[^>]*data-testid="load-more"`)

// followLoadMore is the address the "Load more" link of path leads to, followed n times (or to
// the last page).
func (d *driver) followLoadMore(ctx context.Context, p *process, who account, path string, n int) (string, error) {
	client := &http.Client{Timeout: 10 * time.Second}
	for range n {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.base+path, nil)
		if err != nil {
			return "", err
		}
		req.Header.Set("Cookie", who.Cookie)
		resp, err := client.Do(req)
		if err != nil {
			return "", err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			return "", fmt.Errorf("P8 %s: %d %v", path, resp.StatusCode, err)
		}
		m := loadMoreLink.FindSubmatch(body)
		if m == nil {
			return path, nil // the last page (a small user's, in the smoke run)
		}
		path = html.UnescapeString(string(m[1]))
	}
	return path, nil
}

// tabulateFields adds P8's rows: each page's median against the reference's.
func tabulateFields(o options, rep *report, m map[string]*sample, names []string) {
	ref := m["reference"]
	for _, name := range names {
		c := latencies(m[name], ref, 0.5)
		rep.add("P8", fmt.Sprintf("%d tasks, %s vs %d tasks' default list: median", o.BigTasks, name, o.MidTasks), c.app, c.ref, c.ratio, &p8Median)
	}
	for _, name := range names {
		rep.count("P8 "+name, m[name])
	}
}
