package views

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"sync"

	"github.com/a-h/templ"
	lru "github.com/hashicorp/golang-lru/v2"

	"todo/todo"
)

// TaskItems is the list's items, each the markup of taskItem. What an item renders to depends only
// on the task and on today (its due date in words), so each task's markup is kept and written again
// while both are unchanged, like a fragment cache keyed by the record: a person reloading or paging
// through a list draws each task once, not on every visit. A kept item is used only when every field
// of the task and the day are byte for byte those it was rendered from (nothing stale can show, and
// no hash can collide), and only for tasks the store has already read for the signed-in user, as any
// rendering is.
func TaskItems(tasks []todo.Task) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		day := today()
		scratch := itemBuffers.Get().(*itemBuffer)
		defer itemBuffers.Put(scratch)
		for i := range tasks {
			t := &tasks[i]
			scratch.key = appendItemKey(scratch.key[:0], t, day)
			if kept, ok := renderedItems.Get(t.ID); ok && kept.keyed(scratch.key) {
				if _, err := w.Write(kept.html()); err != nil {
					return err
				}
				continue
			}
			scratch.html.Reset()
			if err := taskItem(*t).Render(ctx, &scratch.html); err != nil {
				return err
			}
			renderedItems.Add(t.ID, newRenderedItem(scratch.key, scratch.html.Bytes()))
			if _, err := w.Write(scratch.html.Bytes()); err != nil {
				return err
			}
		}
		return nil
	})
}

// renderedItem is one task's markup after the key it was rendered for, in one allocation without
// pointers, which the collector need not scan.
type renderedItem struct {
	data   []byte // key, then markup
	keyLen int
}

func newRenderedItem(key, html []byte) *renderedItem {
	data := make([]byte, 0, len(key)+len(html))
	return &renderedItem{data: append(append(data, key...), html...), keyLen: len(key)}
}

func (r *renderedItem) keyed(key []byte) bool { return bytes.Equal(r.data[:r.keyLen], key) }
func (r *renderedItem) html() []byte          { return r.data[r.keyLen:] }

// keptItems bounds the kept markup: some 8 MB at most (an item is about 650 bytes, its key and the
// cache's bookkeeping some 150 more), the most recently drawn items.
const keptItems = 10_000

var (
	renderedItems = mustLRU(keptItems)
	itemBuffers   = sync.Pool{New: func() any { return new(itemBuffer) }}
)

// itemBuffer is one rendering's scratch space: the key being looked up and the markup being drawn.
type itemBuffer struct {
	key  []byte
	html bytes.Buffer
}

func mustLRU(n int) *lru.Cache[int64, *renderedItem] {
	c, err := lru.New[int64, *renderedItem](n)
	if err != nil {
		panic(err) // only for a size below 1
	}
	return c
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
