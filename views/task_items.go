package views

import (
	"bytes"
	"context"
	"io"
	"slices"
	"sync"

	"github.com/a-h/templ"
	lru "github.com/hashicorp/golang-lru/v2"

	"todo/todo"
)

// TaskItems is the list's items, each the markup of taskItem. What an item renders to depends only
// on the task and on today (its due date in words), so each task's markup is kept and written again
// while both are unchanged, like a fragment cache keyed by the record: a person reloading or paging
// through a list draws each task once, not on every visit. A kept item is used only for a task equal
// in every field to the one it was rendered from (nothing stale can show), and only for tasks the
// store has already read for the signed-in user, as any rendering is.
func TaskItems(tasks []todo.Task) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		day := today()
		for i := range tasks {
			t := &tasks[i]
			if kept, ok := renderedItems.Get(t.ID); ok && kept.day == day && sameTask(&kept.task, t) {
				if _, err := w.Write(kept.html); err != nil {
					return err
				}
				continue
			}
			buf := itemBuffers.Get().(*bytes.Buffer)
			buf.Reset()
			err := taskItem(*t).Render(ctx, buf)
			html := bytes.Clone(buf.Bytes())
			itemBuffers.Put(buf)
			if err != nil {
				return err
			}
			renderedItems.Add(t.ID, &renderedItem{task: *t, day: day, html: html})
			if _, err := w.Write(html); err != nil {
				return err
			}
		}
		return nil
	})
}

// renderedItem is one task's markup, with the task and the day it was rendered for.
type renderedItem struct {
	task todo.Task
	day  todo.Date
	html []byte
}

// keptItems bounds the kept markup: about 10 MB at most (an item is some 650 bytes, plus its task),
// the most recently drawn items.
const keptItems = 10_000

var (
	renderedItems = mustLRU(keptItems)
	itemBuffers   = sync.Pool{New: func() any { return new(bytes.Buffer) }}
)

func mustLRU(n int) *lru.Cache[int64, *renderedItem] {
	c, err := lru.New[int64, *renderedItem](n)
	if err != nil {
		panic(err) // only for a size below 1
	}
	return c
}

// sameTask tells whether two tasks are equal in every field.
func sameTask(a, b *todo.Task) bool {
	return a.ID == b.ID && a.Title == b.Title && a.Description == b.Description && a.Completed == b.Completed &&
		a.DueDate == b.DueDate && a.Priority == b.Priority && slices.Equal(a.Tags, b.Tags) &&
		a.CreatedAt.Equal(b.CreatedAt) && a.UpdatedAt.Equal(b.UpdatedAt)
}
