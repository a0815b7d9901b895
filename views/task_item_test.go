package views

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"todo/todo"
)

// TaskItem is hand-written for speed; taskItemTemplate is its readable definition. They must write
// the same bytes for every task, hostile text included.
func TestTaskItemWritesWhatItsTemplateWrites(t *testing.T) {
	tasks := []todo.Task{
		{ID: 1, Title: "Buy milk"},
		{ID: 9223372036854775807, Title: "max id", Completed: true, Description: "with a\nsecond line"},
		{ID: 42, Title: `<script>alert("x")</script> & 'quotes'`, Description: `<img src=x onerror=alert(1)> "&amp;"`},
		{ID: 7, Title: "emoji 😀 and CJK 字 and “curly”", Completed: true},
		{ID: 8, Title: strings.Repeat("&", 200), Description: strings.Repeat("<>", 500)},
	}
	rng := rand.New(rand.NewPCG(7, 11))
	alphabet := []rune("ab <>&'\"“”é😀字\t\n")
	for i := range 500 {
		title := make([]rune, 1+rng.IntN(40))
		for j := range title {
			title[j] = alphabet[rng.IntN(len(alphabet))]
		}
		desc := ""
		if rng.IntN(2) == 0 {
			desc = string(title[:rng.IntN(len(title))])
		}
		tasks = append(tasks, todo.Task{ID: rng.Int64(), Title: string(title), Description: desc, Completed: i%3 == 0})
	}
	for _, k := range tasks {
		var fast, slow bytes.Buffer
		if err := TaskItem(k).Render(context.Background(), &fast); err != nil {
			t.Fatal(err)
		}
		if err := taskItemTemplate(k).Render(context.Background(), &slow); err != nil {
			t.Fatal(err)
		}
		if fast.String() != slow.String() {
			t.Fatalf("task %+v:\nhand-written: %s\ntemplate:     %s", k, fast.String(), slow.String())
		}
	}
}

func BenchmarkTaskItem(b *testing.B) {
	k := todo.Task{ID: 123456, Title: "Call the plumber about the kitchen tap", Description: "Ask about the boiler too — it is due in May."}
	var buf bytes.Buffer
	b.Run("hand-written", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf.Reset()
			TaskItem(k).Render(context.Background(), &buf)
		}
	})
	b.Run("template", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf.Reset()
			taskItemTemplate(k).Render(context.Background(), &buf)
		}
	})
}
