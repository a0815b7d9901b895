package main

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// weight is what a server's answers weigh: the list page around its tasks, one task on it (the
// mean), and the htmx answer to an add. The floor pads its answers to the app's weight.
type weight struct {
	Frame, Task, Create int
}

const weightEnv = "BENCH_FLOOR_WEIGHT"

func (w weight) env() string {
	return fmt.Sprintf("%s=%d,%d,%d", weightEnv, w.Frame, w.Task, w.Create)
}

func parseWeight(s string) (weight, error) {
	var w weight
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return w, fmt.Errorf("%s=%q: want frame,task,create bytes", weightEnv, s)
	}
	for i, dst := range []*int{&w.Frame, &w.Task, &w.Create} {
		n, err := strconv.Atoi(parts[i])
		if err != nil || n < 0 {
			return w, fmt.Errorf("%s=%q: want frame,task,create bytes", weightEnv, s)
		}
		*dst = n
	}
	return w, nil
}

// weigh measures p's answers: the list pages of a P1 user and of one with MidTasks tasks of the same
// kind (their first pages hold different numbers of tasks: the difference is the tasks' weight, the rest the frame's),
// and one htmx add.
func (d *driver) weigh(ctx context.Context, p *process) (weight, error) {
	small, large := min(d.o.UserTasks, 100), min(d.o.MidTasks, 100)
	if small == large {
		return weight{}, fmt.Errorf("weighing the list page needs a first page of -user-tasks and one of -mid-tasks that differ in length (both %d)", small)
	}
	client := newClient(1)
	size := func(who account) (int, error) {
		req, _ := d.listRequest(p, []account{who}, 1)(0, 0)
		body, err := fetch(client, req.WithContext(ctx), http.StatusOK)
		return len(body), err
	}
	a, err := size(d.fx.List[0])
	if err != nil {
		return weight{}, fmt.Errorf("%s GET /: %w", p.name, err)
	}
	b, err := size(d.fx.Plain)
	if err != nil {
		return weight{}, fmt.Errorf("%s GET /: %w", p.name, err)
	}
	req, _ := d.createRequest(p, d.fx.Create, 1)(0, 0)
	created, err := fetch(client, req.WithContext(ctx), http.StatusOK)
	if err != nil {
		return weight{}, fmt.Errorf("%s POST /tasks: %w", p.name, err)
	}
	w := weight{Task: (b - a) / (large - small), Create: len(created)}
	w.Frame = a - small*w.Task
	return w, nil
}
