package live

import (
	"bytes"
	"context"
	"strconv"
	"strings"

	"todo/views"
)

// The event stream's wire format (text/event-stream). Events:
//
//	event: tasks   some of the user's tasks changed; data is the control that fetches them
//	event: reset   what the page shows can no longer be vouched for; data reloads its list
//	id: …          on every event; an id alone (no data) only moves the resume point
//	: keep-alive   a comment, every heartbeat, so that proxies keep an idle stream open
//
// Each data line is an HTML element (views.LiveSync) that the page's SSE extension appends to the
// hidden #live element; htmx then sends its GET, and the element removes itself when answered.

// changesPath is where a page fetches changes from (see Changes).
const changesPath = "/events/changes"

func changeEvent(c *change) []byte {
	if c.All() {
		return event("tasks", c.token, syncControl(changesPath+"?reload=1"))
	}
	var b strings.Builder
	b.WriteString(changesPath + "?ids=")
	for i, id := range c.IDs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	return event("tasks", c.token, syncControl(b.String()))
}

func resetEvent(id string) []byte {
	return event("reset", id, syncControl(changesPath+"?reload=1"))
}

// idOnly sets the page's resume point without an event (a browser dispatches no event without data).
func idOnly(id string) []byte { return []byte("id: " + id + "\n\n") }

// heartbeat is a comment: browsers ignore it, proxies see traffic.
var heartbeat = []byte(": keep-alive\n\n")

func event(name, id string, data []byte) []byte {
	var b bytes.Buffer
	b.WriteString("event: " + name + "\nid: " + id + "\n")
	for line := range bytes.SplitSeq(data, []byte("\n")) {
		b.WriteString("data: ")
		b.Write(line)
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	return b.Bytes()
}

func syncControl(url string) []byte {
	var b bytes.Buffer
	// Rendering a fixed component into memory cannot fail.
	_ = views.LiveSync(url).Render(context.Background(), &b)
	return b.Bytes()
}
