package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// load is one closed-loop run against one target: conns workers, each sending its next request as
// soon as the previous answer is read, over keep-alive connections, until the duration is up or the
// request cap is reached. The generator stops by itself; nothing runs unbounded.
type load struct {
	client  *http.Client
	conns   int
	dur     time.Duration
	max     int
	request func(worker, n int) (*http.Request, error) // the n-th request of a worker
	want    int                                        // the status every answer must have
}

// sample is what runs measured: answers with the wanted status and their latencies, and failures.
type sample struct {
	Requests int
	Failures int
	Failure  string // the first failure, for the report
	Elapsed  time.Duration
	CPU      time.Duration // CPU time the server process used meanwhile
	Bytes    int64
	lat      []time.Duration
}

func (s *sample) merge(o sample) {
	s.Requests += o.Requests
	s.Failures += o.Failures
	if s.Failure == "" {
		s.Failure = o.Failure
	}
	s.Elapsed += o.Elapsed
	s.CPU += o.CPU
	s.Bytes += o.Bytes
	s.lat = append(s.lat, o.lat...)
}

// Throughput is answered requests per second of run time.
func (s *sample) Throughput() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Requests) / s.Elapsed.Seconds()
}

// Quantile is the nearest-rank q-quantile of the latencies.
func (s *sample) Quantile(q float64) time.Duration {
	if len(s.lat) == 0 {
		return 0
	}
	if !slices.IsSorted(s.lat) {
		slices.Sort(s.lat)
	}
	i := int(math.Ceil(q*float64(len(s.lat)))) - 1
	return s.lat[min(max(i, 0), len(s.lat)-1)]
}

// CPUPerRequest is the server's CPU time per answered request.
func (s *sample) CPUPerRequest() time.Duration {
	if s.Requests == 0 {
		return 0
	}
	return s.CPU / time.Duration(s.Requests)
}

// AvgBytes is the mean body size of an answer.
func (s *sample) AvgBytes() int64 {
	if s.Requests == 0 {
		return 0
	}
	return s.Bytes / int64(s.Requests)
}

// run drives the target and measures it.
func (l load) run(ctx context.Context) sample {
	// A hard stop well after the nominal end, for a server that stops answering.
	ctx, cancel := context.WithTimeout(ctx, l.dur+10*time.Second)
	defer cancel()
	var sent atomic.Int64
	results := make([]sample, l.conns)
	start := time.Now()
	end := start.Add(l.dur)
	var wg sync.WaitGroup
	for w := range l.conns {
		wg.Go(func() {
			res := &results[w]
			res.lat = make([]time.Duration, 0, 1024)
			for n := 0; time.Now().Before(end) && sent.Add(1) <= int64(l.max) && ctx.Err() == nil; n++ {
				req, err := l.request(w, n)
				if err != nil {
					res.fail(err.Error())
					continue
				}
				t := time.Now()
				resp, err := l.client.Do(req.WithContext(ctx))
				if err != nil {
					res.fail(err.Error())
					continue
				}
				nb, err := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				d := time.Since(t)
				switch {
				case err != nil:
					res.fail(fmt.Sprintf("%s %s: reading the answer: %v", req.Method, req.URL.Path, err))
				case resp.StatusCode != l.want:
					res.fail(fmt.Sprintf("%s %s: status %d, want %d", req.Method, req.URL.Path, resp.StatusCode, l.want))
				default:
					res.Requests++
					res.Bytes += nb
					res.lat = append(res.lat, d)
				}
			}
		})
	}
	wg.Wait()
	total := sample{Elapsed: time.Since(start)}
	for _, r := range results {
		r.Elapsed = 0
		total.merge(r)
	}
	return total
}

func (s *sample) fail(msg string) {
	s.Failures++
	if s.Failure == "" {
		s.Failure = msg
	}
}

// newClient is a keep-alive client for one target with room for every worker's connection. It does
// not follow redirects: a 303 to /sign-in is a failure to see, not a page to fetch.
func newClient(conns int) *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:               nil,
			MaxIdleConns:        conns * 2,
			MaxIdleConnsPerHost: conns * 2,
			IdleConnTimeout:     time.Minute,
			DisableCompression:  true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// contender is one side of an interleaved comparison.
type contender struct {
	name string
	run  func(ctx context.Context, dur time.Duration) sample
}

// interleave warms each contender up, then runs them in turns (round r in one order, round r+1 in
// the other), so that a machine that gets busier or quieter during the run affects both alike.
func interleave(ctx context.Context, rounds int, round, warmup time.Duration, cs ...contender) (map[string]*sample, error) {
	for _, c := range cs {
		if s := c.run(ctx, warmup); s.Failures > 0 {
			return nil, fmt.Errorf("%s, warming up: %d failed, first: %s", c.name, s.Failures, s.Failure)
		}
	}
	out := make(map[string]*sample, len(cs))
	for _, c := range cs {
		out[c.name] = &sample{}
	}
	for r := range rounds {
		order := slices.Clone(cs)
		if r%2 == 1 {
			slices.Reverse(order)
		}
		for _, c := range order {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			out[c.name].merge(c.run(ctx, round))
		}
	}
	return out, nil
}
