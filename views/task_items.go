package views

import (
	"context"
	"encoding/binary"
	"io"
	"sync"

	"github.com/VictoriaMetrics/fastcache"
	"github.com/a-h/templ"

	"todo/todo"
)

// TaskItems is the list's items, each the markup of taskItem. What an item renders to depends only
// on the task and on today (its due date in words), so each task's markup is kept and written again
// while both are unchanged, like a fragment cache keyed by the record: a person reloading or paging
// through a list draws each task once, not on every visit. The key is every field of the task plus
// the day, byte for byte, so a kept item is found only for a task equal in every field to the one it
// was rendered from (nothing stale can show, and no hash can collide), and only for tasks the store
// has already read for the signed-in user, as any rendering is.
func TaskItems(tasks []todo.Task) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		day := today()
		bufs := itemBuffers.Get().(*itemBuffer)
		defer itemBuffers.Put(bufs)
		for i := range tasks {
			bufs.key = appendItemKey(bufs.key[:0], &tasks[i], day)
			html, found := renderedItems.HasGet(bufs.html[:0], bufs.key)
			if !found {
				out := bytesWriter{html[:0]}
				if err := taskItem(tasks[i]).Render(ctx, &out); err != nil {
					return err
				}
				html = out.b
				renderedItems.Set(bufs.key, html)
			}
			bufs.html = html
			if _, err := w.Write(html); err != nil {
				return err
			}
		}
		return nil
	})
}

// keptItemBytes bounds the kept markup, keys included. The cache keeps it outside Go's heap, so
// it does not raise the collector's target (at GOGC=400 a kept megabyte on the heap would let the
// process grow by five), and it costs resident memory only as it fills: an item with its key is
// about 1 KB, so 32 MB (the cache's least) holds the most recently drawn 30,000 or so.
const keptItemBytes = 32 << 20

var (
	renderedItems = fastcache.New(keptItemBytes)
	itemBuffers   = sync.Pool{New: func() any { return new(itemBuffer) }}
)

// itemBuffer is one rendering's scratch space: the key being looked up and the markup found or drawn.
type itemBuffer struct{ key, html []byte }

// bytesWriter appends to a byte slice, so the markup lands in the reused buffer.
type bytesWriter struct{ b []byte }

func (w *bytesWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

// appendItemKey writes every field of t and the day, each string with its length first so that no
// two different tasks write the same bytes.
func appendItemKey(b []byte, t *todo.Task, day todo.Date) []byte {
	b = binary.AppendVarint(b, t.ID)
	b = binary.AppendVarint(b, day.Time().Unix())
	b = binary.AppendVarint(b, t.DueDate.Time().Unix())
	b = binary.AppendVarint(b, t.CreatedAt.UnixNano())
	b = binary.AppendVarint(b, t.UpdatedAt.UnixNano())
	flags := byte(t.Priority) << 1
	if t.Completed {
		flags |= 1
	}
	b = append(b, flags)
	b = appendString(b, t.Title)
	b = appendString(b, t.Description)
	b = binary.AppendUvarint(b, uint64(len(t.Tags)))
	for _, tag := range t.Tags {
		b = appendString(b, tag)
	}
	return b
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}
