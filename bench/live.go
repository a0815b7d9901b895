package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// PL: live updates. LiveUsers × LivePages event streams (GET /events) stay open on the app while
//   - one page of each user in turn adds a task (htmx POST /tasks, as the list page sends it), and
//     the time from sending it to each of that user's streams receiving the event is measured
//     (target: p99 ≤ 250 ms);
//   - P1's list load runs, against the same load without the streams (target: ≥ 0.85);
//   - the app's resident memory is sampled (target: ≤ 128 MiB);
//
// then a second instance of the app starts on the same database, one stream per user connects to
// it, and changes made on the first reach it (target: p99 ≤ 500 ms).
var (
	plLatency   = goal{limit: 1}
	plP1        = goal{atLeast: true, limit: 0.85}
	plRSS       = goal{limit: 1}
	plTwoLimit  = 500 * time.Millisecond
	plOneLimit  = 250 * time.Millisecond
	plRSSLimit  = int64(128 << 20)
	plWaitEvent = 5 * time.Second
)

type liveResult struct {
	streams           int
	oneInstance       []time.Duration // change → each of the user's streams
	twoInstances      []time.Duration // change on A → the stream on B
	p1Without, p1With *sample
	peakRSS           int64
}

// liveStreams is a set of open streams and the events they received, by task id.
type liveStreams struct {
	mu       sync.Mutex
	received map[string][]time.Time // "user/task id" → when each stream got its event
	cancel   context.CancelFunc
	done     sync.WaitGroup
	failures []string
}

var eventIDs = regexp.MustCompile(`ids=([0-9,]+)`)

// openStreams opens pages streams for each account on p and waits until each said its first word.
func openStreams(ctx context.Context, p *process, accounts []account, pages int) (*liveStreams, error) {
	sctx, cancel := context.WithCancel(ctx)
	ls := &liveStreams{received: map[string][]time.Time{}, cancel: cancel}
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: len(accounts)*pages + 10, DisableCompression: true}}
	ready := make(chan error, len(accounts)*pages)
	for ui, a := range accounts {
		for range pages {
			ls.done.Add(1)
			go func() {
				defer ls.done.Done()
				req, _ := http.NewRequestWithContext(sctx, "GET", p.base+"/events", nil)
				req.Header.Set("Cookie", a.Cookie)
				req.Header.Set("Accept", "text/event-stream")
				resp, err := client.Do(req)
				if err != nil {
					ready <- err
					return
				}
				defer resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					ready <- fmt.Errorf("GET /events: %d", resp.StatusCode)
					return
				}
				r := bufio.NewReader(resp.Body)
				first := true
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						if sctx.Err() == nil {
							ls.fail(fmt.Sprintf("a stream of user %d ended: %v", ui, err))
						}
						return
					}
					if first && strings.HasPrefix(line, "retry:") {
						first = false
						ready <- nil
					}
					if m := eventIDs.FindStringSubmatch(line); m != nil && strings.HasPrefix(line, "data:") {
						at := time.Now()
						ls.mu.Lock()
						for id := range strings.SplitSeq(m[1], ",") {
							k := a.UserID + "/" + id
							ls.received[k] = append(ls.received[k], at)
						}
						ls.mu.Unlock()
					}
				}
			}()
		}
	}
	for range len(accounts) * pages {
		if err := <-ready; err != nil {
			ls.close()
			return nil, err
		}
	}
	return ls, nil
}

func (ls *liveStreams) fail(s string) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	ls.failures = append(ls.failures, s)
}

func (ls *liveStreams) close() {
	ls.cancel()
	ls.done.Wait()
}

// await waits until want streams received the event of task id of user, and returns when each did.
func (ls *liveStreams) await(user, id string, want int) []time.Time {
	deadline := time.Now().Add(plWaitEvent)
	for {
		ls.mu.Lock()
		got := slices.Clone(ls.received[user+"/"+id])
		ls.mu.Unlock()
		if len(got) >= want || time.Now().After(deadline) {
			return got
		}
		time.Sleep(time.Millisecond)
	}
}

var taskIDInAnswer = regexp.MustCompile(`data-task-id="(\d+)"`)

// change adds a task for a as the list page does, and returns when it was sent and the task's id.
func change(ctx context.Context, client *http.Client, p *process, a account, n int) (time.Time, string, error) {
	form := url.Values{"title": {fmt.Sprintf("Live task %d", n)}, "return": {"/"}}
	req, _ := http.NewRequestWithContext(ctx, "POST", p.base+"/tasks", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	req.Header.Set("Origin", p.base)
	req.Header.Set("Cookie", a.Cookie)
	sent := time.Now()
	body, err := fetch(client, req, http.StatusOK)
	if err != nil {
		return sent, "", err
	}
	m := taskIDInAnswer.FindStringSubmatch(body)
	if m == nil {
		return sent, "", fmt.Errorf("POST /tasks: no task in the answer")
	}
	return sent, m[1], nil
}

// measureChanges makes rounds changes, one user after another, each on p, and collects how long
// each took to reach want streams of its user.
func measureChanges(ctx context.Context, ls *liveStreams, p *process, accounts []account, rounds, want int) ([]time.Duration, error) {
	client := newClient(1)
	var lat []time.Duration
	for n := range rounds {
		a := accounts[n%len(accounts)]
		sent, id, err := change(ctx, client, p, a, n)
		if err != nil {
			return nil, err
		}
		got := ls.await(a.UserID, id, want)
		if len(got) < want {
			return nil, fmt.Errorf("change %d reached %d of %d streams within %s", n, len(got), want, plWaitEvent)
		}
		for _, at := range got {
			lat = append(lat, at.Sub(sent))
		}
	}
	return lat, nil
}

// live runs PL against app; env starts the second instance.
func live(ctx context.Context, d *driver, app *process, env []string) (liveResult, error) {
	o := d.o
	res := liveResult{streams: o.LiveUsers * o.LivePages}
	list := d.list(app, d.fx.List, o.Conns)
	if s := list(ctx, o.Warmup); s.Failures > 0 {
		return res, fmt.Errorf("list, warming up: %d failed, first: %s", s.Failures, s.Failure)
	}
	// P1's load in interleaved rounds, without and with the streams (opened for each round and
	// closed after it), so that a machine whose speed drifts affects both alike.
	res.p1Without, res.p1With = &sample{}, &sample{}
	stopSampling := make(chan struct{})
	peak := app.sampleRSS(stopSampling)
	var ls *liveStreams
	var err error
	for r := range max(o.Rounds, 2) {
		withFirst := r%2 == 1
		for _, with := range []bool{withFirst, !withFirst} {
			if !with {
				res.p1Without.merge(list(ctx, o.Round))
				continue
			}
			if ls, err = openStreams(ctx, app, d.fx.Live, o.LivePages); err != nil {
				break
			}
			res.p1With.merge(list(ctx, o.Round))
			ls.close()
		}
		if err != nil {
			break
		}
	}
	if err == nil {
		// The streams open once more, for the changes.
		if ls, err = openStreams(ctx, app, d.fx.Live, o.LivePages); err == nil {
			defer ls.close()
			res.oneInstance, err = measureChanges(ctx, ls, app, d.fx.Live, o.LiveChanges, o.LivePages)
		}
	}
	close(stopSampling)
	res.peakRSS = peak()
	if err != nil {
		return res, fmt.Errorf("%d streams: %w", res.streams, err)
	}

	second, err := startProcess(ctx, "app B", o.AppBinary, env)
	if err != nil {
		return res, err
	}
	defer second.stop()
	onB, err := openStreams(ctx, second, d.fx.Live, 1)
	if err != nil {
		return res, fmt.Errorf("opening streams on the second instance: %w", err)
	}
	defer onB.close()
	// The second instance's listener connects when its first stream opens: let it.
	time.Sleep(200 * time.Millisecond)
	res.twoInstances, err = measureChanges(ctx, onB, app, d.fx.Live, o.LiveChanges, 1)
	if err == nil && len(ls.failures)+len(onB.failures) > 0 {
		err = fmt.Errorf("streams failed: %v", append(ls.failures, onB.failures...))
	}
	return res, err
}

func quantile(ds []time.Duration, q float64) time.Duration {
	s := sample{lat: ds}
	return s.Quantile(q)
}

// liveRows adds PL's rows to the table.
func liveRows(rep *report, o options, r liveResult) {
	one, two := quantile(r.oneInstance, 0.99), quantile(r.twoInstances, 0.99)
	rep.add("PL", fmt.Sprintf("live: %d streams (%d users × %d), a change → all %d of its user's streams: p99", r.streams, o.LiveUsers, o.LivePages, o.LivePages),
		ms(one), ms(plOneLimit), ratio(float64(one), float64(plOneLimit)), &plLatency)
	rep.add("", "  the same: p50", ms(quantile(r.oneInstance, 0.5)), "", 0, nil)
	rep.add("PL", fmt.Sprintf("live: list page throughput with the %d streams open vs without", r.streams),
		rps(r.p1With.Throughput()), rps(r.p1Without.Throughput()), ratio(r.p1With.Throughput(), r.p1Without.Throughput()), &plP1)
	rep.add("PL", fmt.Sprintf("live: app peak RSS with %d streams open (sampled)", r.streams),
		mib(r.peakRSS), mib(plRSSLimit), ratio(float64(r.peakRSS), float64(plRSSLimit)), &plRSS)
	rep.add("PL", "live: two instances, a change on A → the stream on B: p99",
		ms(two), ms(plTwoLimit), ratio(float64(two), float64(plTwoLimit)), &plLatency)
	rep.add("", "  the same: p50", ms(quantile(r.twoInstances, 0.5)), "", 0, nil)
	rep.count("PL list with streams", r.p1With)
	rep.count("PL list without streams", r.p1Without)
}
