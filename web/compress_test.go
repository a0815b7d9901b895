package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	"todo/static"
	"todo/todo"
)

// decoded is the body of an answer as the client reads it, after its Content-Encoding.
func decoded(t *testing.T, encoding string, body []byte) []byte {
	t.Helper()
	var r io.Reader
	switch encoding {
	case "":
		return body
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case "zstd":
		zr, err := zstd.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		r = zr
	default:
		t.Fatalf("unexpected Content-Encoding %q", encoding)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode %s: %v", encoding, err)
	}
	return out
}

// withoutNonce blanks the new-task form's nonce, which is new on every page.
func withoutNonce(page []byte) []byte {
	page = liveSince.ReplaceAll(page, []byte(`/events?since=`))
	return nonceField.ReplaceAll(page, []byte(`name="nonce" value=""`))
}

var (
	nonceField = regexp.MustCompile(`name="nonce" value="[^"]*"`)
	liveSince  = regexp.MustCompile(`/events\?since=\d+`) // when the page was rendered
)

func varies(h http.Header, name string) bool {
	for _, v := range h.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), name) {
				return true
			}
		}
	}
	return false
}

// Pages, fragments and static files are compressed for clients that take gzip or zstd, and say so
// with Vary; the decoded body is exactly the plain one; small bodies go as they are.
func TestCompression(t *testing.T) {
	app := newTestApp(t)
	u, cookie := app.signedInUser(t, "Zed")
	tasks := app.store.Tasks(u.ID)
	for i := range 100 {
		in := todo.Input{Title: fmt.Sprintf(`Task %d: pick up the "groceries" & <odds and ends> for the weekend`, i)}
		if i%3 == 0 {
			in.Description = "Milk, eggs & bread — ask <Sam> about the list"
		}
		if _, err := tasks.Create(context.Background(), in); err != nil {
			t.Fatal(err)
		}
	}
	firstVisit := map[string]int{} // bytes by encoding
	type request struct {
		name, method, path string
		headers            []string
	}
	for _, rq := range []request{
		{"the 100-task list page", "GET", "/", nil},
		{"an htmx fragment (toggle all)", "POST", "/tasks/toggle-all", []string{"HX-Request", "true", "HX-Current-URL", "http://example.test/"}},
		{"htmx", "GET", static.URL("htmx.min.js"), nil},
		{"the stylesheet", "GET", static.URL("app.css"), nil},
		{"app.js", "GET", static.URL("app.js"), nil},
		{"messages.js", "GET", static.URL("messages.js"), nil},
	} {
		plain := app.do(t, rq.method, rq.path, cookie, "", append([]string{"Accept-Encoding", "identity"}, rq.headers...)...)
		if plain.Code != http.StatusOK || plain.Header().Get("Content-Encoding") != "" || !varies(plain.Header(), "Accept-Encoding") {
			t.Fatalf("%s, identity: status %d, Content-Encoding %q, Vary %q", rq.name, plain.Code, plain.Header().Get("Content-Encoding"), plain.Header().Values("Vary"))
		}
		if rq.method == "POST" { // undo the toggle, so the next answer is the same page
			app.do(t, rq.method, rq.path, cookie, "", append([]string{"Accept-Encoding", "identity"}, rq.headers...)...)
		}
		sizes := []string{fmt.Sprintf("%d bytes", plain.Body.Len())}
		if rq.method == "GET" { // a first visit: the page and what it links
			firstVisit[""] += plain.Body.Len()
		}
		for _, enc := range []struct{ accept, want string }{
			{"gzip", "gzip"}, {"zstd", "zstd"}, {"gzip, deflate, br, zstd", "zstd"}, {"gzip;q=1, zstd;q=0.5", "gzip"},
		} {
			w := app.do(t, rq.method, rq.path, cookie, "", append([]string{"Accept-Encoding", enc.accept}, rq.headers...)...)
			if rq.method == "POST" {
				app.do(t, rq.method, rq.path, cookie, "", append([]string{"Accept-Encoding", "identity"}, rq.headers...)...)
			}
			h := w.Header()
			if w.Code != http.StatusOK || h.Get("Content-Encoding") != enc.want || !varies(h, "Accept-Encoding") {
				t.Fatalf("%s, Accept-Encoding %q: status %d, Content-Encoding %q, Vary %q", rq.name, enc.accept, w.Code, h.Get("Content-Encoding"), h.Values("Vary"))
			}
			body := decoded(t, enc.want, w.Body.Bytes())
			if rq.method == "GET" && !bytes.Equal(withoutNonce(body), withoutNonce(plain.Body.Bytes())) {
				t.Fatalf("%s, %s: the decoded body differs from the plain one", rq.name, enc.want)
			}
			if w.Body.Len() >= plain.Body.Len()/2 {
				t.Errorf("%s, %s: %d bytes of %d", rq.name, enc.want, w.Body.Len(), plain.Body.Len())
			}
			if enc.accept == enc.want {
				sizes = append(sizes, fmt.Sprintf("%s %d", enc.want, w.Body.Len()))
				if rq.method == "GET" {
					firstVisit[enc.want] += w.Body.Len()
				}
			}
		}
		t.Logf("%s: %s", rq.name, strings.Join(sizes, ", "))
	}
	t.Logf("a first visit (the list page, app.css, htmx, app.js, messages.js): %d bytes, gzip %d, zstd %d", firstVisit[""], firstVisit["gzip"], firstVisit["zstd"])
	if firstVisit["gzip"] > 35<<10 {
		t.Errorf("a first visit moves %d bytes gzipped", firstVisit["gzip"])
	}

	// Small bodies are not worth it.
	for _, path := range []string{"/healthz", "/tasks/1"} {
		w := app.do(t, "GET", path, cookie, "", "Accept-Encoding", "gzip, zstd", "HX-Request", "true")
		if w.Header().Get("Content-Encoding") != "" || w.Body.Len() > 1024 {
			t.Errorf("GET %s: Content-Encoding %q for %d bytes", path, w.Header().Get("Content-Encoding"), w.Body.Len())
		}
	}

	// A compressed static file's ETag names its encoding, and revalidating with it answers 304.
	url := static.URL("htmx.min.js")
	for _, enc := range []string{"gzip", "zstd"} {
		w := app.do(t, "GET", url, nil, "", "Accept-Encoding", enc)
		etag := w.Header().Get("ETag")
		if !strings.HasSuffix(etag, "-"+enc+`"`) {
			t.Fatalf("%s %s: ETag %q", enc, url, etag)
		}
		if w := app.do(t, "GET", url, nil, "", "Accept-Encoding", enc, "If-None-Match", etag); w.Code != http.StatusNotModified {
			t.Errorf("%s %s with If-None-Match %s: status %d, want 304", enc, url, etag, w.Code)
		}
	}
}
