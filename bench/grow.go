package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// P6: one new user adds tasks with htmx from many connections, from none to GrowTasks of them,
// while another user's 100,000 older tasks dominate the table. It is the request a brand-new user's
// page sends (only the title), measured in bands of the user's size, so a list query whose cost
// grows with the table or with the user shows as a falling band. The app and the floor each grow a
// user of their own, in alternating chunks, so both see the same database at the same sizes.
const growChunk = 250

// grow runs P6 and returns the app's and the floor's samples, one per band of GrowBand tasks.
func grow(ctx context.Context, d *driver, app, floor *process) (appBands, floorBands []sample, err error) {
	o := d.o
	bands := (o.GrowTasks + o.GrowBand - 1) / o.GrowBand
	appBands, floorBands = make([]sample, bands), make([]sample, bands)
	chunk := min(growChunk, o.GrowBand)
	for done := 0; done < o.GrowTasks; done += chunk {
		n := min(chunk, o.GrowTasks-done)
		order := []struct {
			p     *process
			who   account
			bands []sample
		}{{app, d.fx.Grow[0], appBands}, {floor, d.fx.Grow[1], floorBands}}
		if (done/chunk)%2 == 1 {
			order[0], order[1] = order[1], order[0]
		}
		for _, c := range order {
			l := load{client: newClient(o.Conns), conns: o.Conns, dur: time.Minute, max: n, want: http.StatusOK,
				request: d.growRequest(c.p, c.who)}
			cpu := c.p.cpuTime()
			s := l.run(ctx)
			s.CPU = c.p.cpuTime() - cpu
			if s.Failures > 0 {
				return nil, nil, fmt.Errorf("P6 %s at %d tasks: %d failed, first: %s", c.p.name, done, s.Failures, s.Failure)
			}
			c.bands[done/o.GrowBand].merge(s)
		}
	}
	return appBands, floorBands, nil
}

// growRequest is POST /tasks from htmx with the title alone.
func (d *driver) growRequest(p *process, who account) func(w, n int) (*http.Request, error) {
	return func(w, n int) (*http.Request, error) {
		form := url.Values{"title": {fmt.Sprintf("Growing task %d from worker %d", n, w)}}
		req, err := http.NewRequest(http.MethodPost, p.base+"/tasks", strings.NewReader(form.Encode()))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("HX-Request", "true")
			req.Header.Set("Origin", p.base)
			req.Header.Set("Cookie", who.Cookie)
		}
		return req, err
	}
}
