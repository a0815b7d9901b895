package views

import (
	"context"
	"io"
	"slices"
	"strconv"
	"sync"
	"todo/todo"

	"github.com/a-h/templ"
)

// TaskItem is one task in the list, the markup of taskItemTemplate (tasks_item.templ) written by hand.
//
// It is the hot path of every list page, up to a hundred times a page, and the profile of `make bench`
// showed templ's generic resolution and escaping of its thirteen dynamic attributes at a third of a
// list page's CPU. Here the id is formatted once, the title escaped once for its three places, and
// nothing is allocated. TestTaskItemWritesWhatItsTemplateWrites checks, byte for byte over varied and
// hostile tasks, that it says exactly what the template says: change both together.
func TaskItem(t todo.Task) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		buf := scratch.Get().(*[]byte)
		b := appendTaskItem((*buf)[:0], t)
		_, err := w.Write(b)
		*buf = b
		scratch.Put(buf)
		return err
	})
}

var scratch = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

func appendTaskItem(b []byte, t todo.Task) []byte {
	var idBuf [20]byte
	id := strconv.AppendInt(idBuf[:0], t.ID, 10)
	done := "false"
	b = append(b, `<li id="task-`...)
	b = append(b, id...)
	if t.Completed {
		done = "true"
		b = append(b, `" class="task completed" data-task-id="`...)
	} else {
		b = append(b, `" class="task" data-task-id="`...)
	}
	b = append(b, id...)
	b = append(b, `" data-completed="`...)
	b = append(b, done...)
	b = append(b, `"><form method="post" action="/tasks/`...)
	b = append(b, id...)
	b = append(b, `/toggle" hx-post="/tasks/`...)
	b = append(b, id...)
	b = append(b, `/toggle"><button type="submit" id="toggle-`...)
	b = append(b, id...)
	b = append(b, `" class="check" role="checkbox" aria-checked="`...)
	b = append(b, done...)
	b = append(b, `" aria-labelledby="title-`...)
	b = append(b, id...)
	b = append(b, `" data-testid="toggle"></button></form><div class="task-text"><span class="task-title" id="title-`...)
	b = append(b, id...)
	b = append(b, `" data-testid="task-title">`...)
	titleStart := len(b)
	b = appendEscaped(b, t.Title)
	title := b[titleStart:] // the escaped title, copied from here to its two labels
	b = append(b, `</span> `...)
	if t.Description != "" {
		b = append(b, `<p class="task-description" data-testid="task-description">`...)
		b = appendEscaped(b, t.Description)
		b = append(b, `</p>`...)
	}
	b = append(b, `</div><div class="task-actions"><a class="task-edit" href="/tasks/`...)
	b = append(b, id...)
	b = append(b, `/edit" hx-get="/tasks/`...)
	b = append(b, id...)
	b = append(b, `/edit" hx-disabled-elt="this" aria-label="Edit “`...)
	b = appendFrom(b, titleStart, len(title))
	b = append(b, `”" data-testid="edit">Edit</a><form method="post" action="/tasks/`...)
	b = append(b, id...)
	b = append(b, `/delete" hx-post="/tasks/`...)
	b = append(b, id...)
	b = append(b, `/delete"><button type="submit" class="delete" aria-label="Delete “`...)
	b = appendFrom(b, titleStart, len(title))
	b = append(b, `”" data-testid="delete"><span aria-hidden="true">×</span></button></form></div></li>`...)
	return b
}

// appendFrom appends a copy of b[start:start+n]. It grows b first, so the copy reads from the array
// it writes to (the range is given by position, as growing may move it).
func appendFrom(b []byte, start, n int) []byte {
	b = slices.Grow(b, n)
	return append(b, b[start:start+n]...)
}

// appendEscaped escapes s exactly as html.EscapeString (and so templ) does, without allocating.
func appendEscaped(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '&':
			esc = "&amp;"
		case '\'':
			esc = "&#39;"
		case '"':
			esc = "&#34;"
		default:
			continue
		}
		b = append(b, s[last:i]...)
		b = append(b, esc...)
		last = i + 1
	}
	return append(b, s[last:]...)
}
