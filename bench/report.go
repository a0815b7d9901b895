package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"
)

// row is one line of the ratio table. A row without a target is shown for information.
type row struct {
	ID     string // P1 … P5, or "" for an information row
	Name   string
	App    string
	Ref    string // the floor's value, or the reference the target names
	Ratio  float64
	Target string // e.g. "≥ 0.85"; "" for information
	Met    bool
}

// report is the outcome of a run.
type report struct {
	Rows     []row
	Failures int      // requests that failed, over every scenario
	Problems []string // the first failure of each sample that had any
}

// goal is a ratio target: at least or at most limit, or within band of 1.
type goal struct {
	atLeast bool
	limit   float64
	band    float64
}

func (g goal) String() string {
	if g.band > 0 {
		return fmt.Sprintf("1 ± %.2f", g.band)
	}
	if g.atLeast {
		return fmt.Sprintf("≥ %.2f", g.limit)
	}
	return fmt.Sprintf("≤ %.2f", g.limit)
}

func (g goal) met(ratio float64) bool {
	if g.band > 0 {
		return math.Abs(ratio-1) <= g.band
	}
	if g.atLeast {
		return ratio >= g.limit
	}
	return ratio <= g.limit
}

func (r *report) add(id, name, app, ref string, ratio float64, g *goal) {
	rw := row{ID: id, Name: name, App: app, Ref: ref, Ratio: ratio}
	if g != nil {
		rw.Target, rw.Met = g.String(), g.met(ratio)
	}
	r.Rows = append(r.Rows, rw)
}

// count adds a sample's failures to the report.
func (r *report) count(what string, s *sample) {
	if s.Failures > 0 {
		r.Failures += s.Failures
		r.Problems = append(r.Problems, fmt.Sprintf("%s: %d failed, first: %s", what, s.Failures, s.Failure))
	}
}

func (r *report) print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\tscenario\tapp\tfloor / reference\tratio\ttarget\tresult")
	for _, rw := range r.Rows {
		result := "info"
		if rw.Target != "" {
			result = "met"
			if !rw.Met {
				result = "NOT MET"
			}
		}
		target := rw.Target
		if target == "" {
			target = "—"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.2f\t%s\t%s\n", rw.ID, rw.Name, rw.App, rw.Ref, rw.Ratio, target, result)
	}
	tw.Flush()
	if r.Failures > 0 {
		fmt.Fprintf(w, "\n%d requests FAILED:\n  %s\n", r.Failures, strings.Join(r.Problems, "\n  "))
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func us(d time.Duration) string { return fmt.Sprintf("%d µs", d.Microseconds()) }

func rps(x float64) string { return fmt.Sprintf("%.0f req/s", x) }

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}
