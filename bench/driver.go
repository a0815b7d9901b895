package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// driver makes the scenarios' requests.
type driver struct {
	o      options
	fx     fixture
	nonce  atomic.Int64
	prefix string // makes the form nonces of this run unique
	// bypassURL is the database as a role that skips row-level security (roles_db.go): the floor's.
	bypassURL string
}

// runner is one contender's load for a given duration.
type runner func(context.Context, time.Duration) sample

func (d *driver) runner(p *process, conns int, want int, request func(w, n int) (*http.Request, error)) runner {
	client := newClient(conns)
	return func(ctx context.Context, dur time.Duration) sample {
		cpu := p.cpuTime()
		s := load{client: client, conns: conns, dur: dur, max: d.o.MaxPerRun, want: want, request: request}.run(ctx)
		s.CPU = p.cpuTime() - cpu
		return s
	}
}

func (d *driver) list(p *process, accounts []account, conns int) runner {
	return d.runner(p, conns, http.StatusOK, d.listRequest(p, accounts, conns))
}

func (d *driver) create(p *process, accounts []account, conns int) runner {
	return d.runner(p, conns, http.StatusOK, d.createRequest(p, accounts, conns))
}

// listRequest is GET / by workers spread over the accounts (worker w's n-th request signs in as
// account w + n·conns, so every account is used and no two workers hammer one account in step).
func (d *driver) listRequest(p *process, accounts []account, conns int) func(w, n int) (*http.Request, error) {
	return func(w, n int) (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, p.base+"/", nil)
		if err == nil {
			req.Header.Set("Cookie", accounts[(w+n*conns)%len(accounts)].Cookie)
		}
		return req, err
	}
}

// apiList is GET /api/{user_id}/tasks?limit=50 with a JWT (withJWT) or the session cookie.
func (d *driver) apiList(p *process, accounts []account, conns int, withJWT bool) runner {
	return d.runner(p, conns, http.StatusOK, d.apiListRequest(p, accounts, conns, withJWT))
}

func (d *driver) apiListRequest(p *process, accounts []account, conns int, withJWT bool) func(w, n int) (*http.Request, error) {
	return func(w, n int) (*http.Request, error) {
		a := accounts[(w+n*conns)%len(accounts)]
		req, err := http.NewRequest(http.MethodGet, p.base+"/api/"+a.UserID+"/tasks?limit=50", nil)
		if err == nil {
			if withJWT {
				req.Header.Set("Authorization", "Bearer "+a.JWT)
			} else {
				req.Header.Set("Cookie", a.Cookie)
			}
		}
		return req, err
	}
}

// createRequest is POST /tasks as htmx sends it from the list page: the title, an empty
// description, the page to come back to, a fresh form nonce, HX-Request, the
// current URL and the page's origin.
func (d *driver) createRequest(p *process, accounts []account, conns int) func(w, n int) (*http.Request, error) {
	return func(w, n int) (*http.Request, error) {
		form := url.Values{
			"title":       {fmt.Sprintf("Bench task %d from worker %d <&>", n, w)},
			"description": {""},
			"return":      {"/"},
			"nonce":       {d.prefix + "n" + strconv.FormatInt(d.nonce.Add(1), 10)},
		}
		req, err := http.NewRequest(http.MethodPost, p.base+"/tasks", strings.NewReader(form.Encode()))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("HX-Request", "true")
			req.Header.Set("HX-Current-URL", p.base+"/")
			req.Header.Set("Origin", p.base)
			req.Header.Set("Cookie", accounts[(w+n*conns)%len(accounts)].Cookie)
		}
		return req, err
	}
}

// check makes sure both servers answer what the scenarios assume before anything is timed: the
// list shows every task of a small user and a full page of the others, with the counter, and an
// htmx add answers with the new task.
func (d *driver) check(ctx context.Context, servers ...*process) error {
	client := newClient(1)
	for _, p := range servers {
		for _, c := range []struct {
			who  account
			want int
		}{{d.fx.List[0], min(d.o.UserTasks, 100)}, {d.fx.Big, min(d.o.BigTasks, 100)}, {d.fx.Mid, min(d.o.MidTasks, 100)}} {
			req, _ := d.listRequest(p, []account{c.who}, 1)(0, 0)
			body, err := fetch(client, req.WithContext(ctx), http.StatusOK)
			if err != nil {
				return fmt.Errorf("%s GET /: %w", p.name, err)
			}
			if got := strings.Count(body, `data-task-id="`); got != c.want {
				return fmt.Errorf("%s GET / shows %d tasks, want %d", p.name, got, c.want)
			}
			if !strings.Contains(body, `data-testid="todo-count"`) {
				return fmt.Errorf("%s GET / has no todo-count", p.name)
			}
		}
		// The JSON API list: the floor answers the cookie, the app both ways, alike.
		for _, withJWT := range []bool{false, true} {
			if withJWT && p.name == "floor" {
				continue
			}
			req, _ := d.apiListRequest(p, d.fx.List[:1], 1, withJWT)(0, 0)
			body, err := fetch(client, req.WithContext(ctx), http.StatusOK)
			if err != nil {
				return fmt.Errorf("%s GET /api/…/tasks (JWT %v): %w", p.name, withJWT, err)
			}
			if got := strings.Count(body, `{"id":`); got != min(d.o.UserTasks, 50) {
				return fmt.Errorf("%s GET /api/…/tasks (JWT %v) has %d tasks, want %d", p.name, withJWT, got, min(d.o.UserTasks, 50))
			}
		}
		req, _ := d.createRequest(p, d.fx.Create, 1)(0, 0)
		body, err := fetch(client, req.WithContext(ctx), http.StatusOK)
		if err != nil {
			return fmt.Errorf("%s POST /tasks: %w", p.name, err)
		}
		if !strings.Contains(body, "Bench task 0 from worker 0 &lt;&amp;&gt;") {
			return fmt.Errorf("%s POST /tasks: the answer does not show the new task: %.300s", p.name, body)
		}
	}
	return nil
}

func fetch(client *http.Client, req *http.Request, want int) (string, error) {
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != want {
		return "", fmt.Errorf("status %d, want %d: %.300s", resp.StatusCode, want, b)
	}
	return string(b), nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
