package htmlcheck

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"todo/internal/apptest"
	"todo/internal/pgtest"
)

const secret = "htmlcheck-secret-0123456789-abcdefghijklmnopqrstuvwxyz"

// document is one answer to check: a whole page, or an htmx fragment (wrapped before checking).
type document struct {
	name     string // what it is, for messages
	body     string
	fragment bool
}

// TestPagesAndFragmentsAreValidHTML fetches every kind of page and fragment from the running app,
// in the states that change their markup (empty list, tasks with descriptions, a second page,
// refused input, errors), and checks them all with one run of the Nu HTML Checker.
func TestPagesAndFragmentsAreValidHTML(t *testing.T) {
	jar, javaBin := checker(t)
	c := startApp(t)
	docs := c.collect(t)

	dir := t.TempDir()
	files := make([]string, len(docs))
	byFile := map[string]document{}
	for i, d := range docs {
		body := d.body
		if d.fragment {
			body = wrapFragment(body)
		}
		files[i] = filepath.Join(dir, fmt.Sprintf("%02d-%s.html", i, slug(d.name)))
		if err := os.WriteFile(files[i], []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		byFile["file:"+files[i]] = d
	}

	// One JVM for every document: vnu takes them all in one call.
	start := time.Now()
	cmd := exec.Command(javaBin, append([]string{"-jar", jar, "--format", "json", "--stdout", "--exit-zero-always"}, files...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("vnu: %v\n%s", err, stderr.String())
	}
	t.Logf("vnu checked %d documents in %s", len(docs), time.Since(start).Round(10*time.Millisecond))
	var report struct {
		Messages []struct {
			Type    string `json:"type"`
			SubType string `json:"subType"`
			URL     string `json:"url"`
			Line    int    `json:"lastLine"`
			Message string `json:"message"`
			Extract string `json:"extract"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("vnu's report: %v\n%s", err, out)
	}
	for _, m := range report.Messages {
		d := byFile[m.URL]
		where := fmt.Sprintf("%s (%s, line %d)", d.name, filepath.Base(strings.TrimPrefix(m.URL, "file:")), m.Line)
		if m.Type == "info" {
			t.Logf("vnu %s: %s: %s", m.SubType, where, m.Message)
			continue
		}
		t.Errorf("vnu %s: %s: %s\n    %s", m.Type, where, m.Message, strings.ReplaceAll(m.Extract, "\n", "↵"))
	}
}

// checker finds the Nu HTML Checker (npm's vnu-jar, pinned in package.json) and Java.
func checker(t *testing.T) (jar, java string) {
	jar, err := filepath.Abs("../node_modules/vnu-jar/build/dist/vnu.jar")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(jar); err != nil {
		t.Fatalf("the Nu HTML Checker is missing (%v): run `npm ci` (make test does)", err)
	}
	if java, err = exec.LookPath("java"); err != nil {
		t.Fatal("java is not installed: `apt-get install -y default-jre-headless` (make test does it as root)")
	}
	return jar, java
}

// client is a browser without JavaScript: one cookie jar, redirects not followed (their statuses are
// part of what is checked).
type client struct {
	base string
	http *http.Client
}

// startApp builds the binary, starts it on a scratch database and returns a client for it.
func startApp(t *testing.T) *client {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	bin, err := apptest.Build(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	port := apptest.FreePort(t)
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	log := &apptest.Output{Limit: 1 << 20}
	cmd := exec.Command(bin)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "DATABASE_URL="+pgtest.NewDatabase(t), "BETTER_AUTH_SECRET="+secret,
		"BETTER_AUTH_URL="+base, "PORT="+strconv.Itoa(port))
	cmd.Stdout, cmd.Stderr = log, log
	p, err := apptest.Start(cmd)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Stop(15 * time.Second); err != nil {
			t.Errorf("app: %v", err)
		}
		if t.Failed() {
			t.Logf("app log:\n%s", log.Tail(4000))
		}
	})
	if err := p.WaitReady(ctx, base+"/readyz", 25*time.Millisecond, 30*time.Second); err != nil {
		t.Fatalf("app: %v\n%s", err, log.Tail(2000))
	}
	jar, _ := cookiejar.New(nil)
	return &client{base: base, http: &http.Client{
		Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// do sends one request (htmx: with the headers htmx sends from the list page) and requires the
// status. It returns the body.
func (c *client) do(t *testing.T, method, path string, form url.Values, htmx bool, status int, headers ...string) string {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if htmx {
		req.Header.Set("HX-Request", "true")
		req.Header.Set("HX-Current-URL", c.base+"/")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != status {
		t.Fatalf("%s %s (htmx %v): status %d, want %d\n%.500s", method, path, htmx, resp.StatusCode, status, b)
	}
	return string(b)
}

var taskIDs = regexp.MustCompile(`data-task-id="(\d+)"`)

var undoIDs = regexp.MustCompile(`name="undo" value="(\d+)"`)

// collect signs a user up and walks the app through every page and fragment, in the states that
// change their markup.
func (c *client) collect(t *testing.T) []document {
	var docs []document
	page := func(name, method, path string, form url.Values, status int) string {
		t.Helper()
		b := c.do(t, method, path, form, false, status)
		docs = append(docs, document{name: name, body: b})
		return b
	}
	fragment := func(name, method, path string, form url.Values, status int) string {
		t.Helper()
		b := c.do(t, method, path, form, true, status)
		if strings.TrimSpace(b) != "" {
			docs = append(docs, document{name: name, body: b, fragment: true})
		}
		return b
	}
	v := func(kv ...string) url.Values {
		out := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	const password = "correct horse battery"
	email := "vnu-" + strconv.FormatInt(time.Now().UnixNano(), 36) + "@example.com"

	// Signed out.
	page("sign-up page", "GET", "/sign-up", nil, 200)
	page("sign-in page", "GET", "/sign-in", nil, 200)
	page("sign-in page, returning to a page", "GET", "/sign-in?next=/completed", nil, 200)
	page("sign-up refused", "POST", "/sign-up", v("name", "", "email", "not an email", "password", "short"), 422)
	fragment("sign-up form refused (htmx)", "POST", "/sign-up", v("name", "Ada", "email", "x", "password", "short"), 422)
	c.do(t, "POST", "/sign-up", v("name", `Ada "<Lovelace>" & co`, "email", email, "password", password), false, 303)
	c.do(t, "POST", "/sign-out", url.Values{}, false, 303)
	page("sign-in refused", "POST", "/sign-in", v("email", email, "password", "wrong password"), 401)
	fragment("sign-in form refused (htmx)", "POST", "/sign-in", v("email", email, "password", "wrong password"), 401)
	c.do(t, "POST", "/sign-in", v("email", email, "password", password), false, 303)

	// An empty list, then the first task added with htmx (the list is drawn anew).
	page("list, empty", "GET", "/", nil, 200)
	fragment("first task added (htmx)", "POST", "/tasks", v("title", "First <task> & \"quotes\"", "return", "/", "listed", ""), 200)
	fragment("new task refused (htmx)", "POST", "/tasks", v("title", "   ", "return", "/", "listed", "1"), 422)
	page("new task refused", "POST", "/tasks", v("title", "   ", "return", "/"), 422)

	// More than a page of tasks, some with descriptions, some completed.
	for i := range 104 {
		form := v("title", fmt.Sprintf("Task %d: pick up the \"groceries\" & <odds and ends>", i), "return", "/")
		if i%3 == 0 {
			form.Set("description", "Milk, eggs & bread\n— ask <Sam> about the list")
		}
		c.do(t, "POST", "/tasks", form, false, 303)
	}
	ids := taskIDs.FindAllStringSubmatch(c.do(t, "GET", "/", nil, false, 200), -1)
	if len(ids) < 3 {
		t.Fatalf("the list shows %d tasks", len(ids))
	}
	first, second, third := ids[0][1], ids[1][1], ids[2][1]
	fragment("task toggled (htmx)", "POST", "/tasks/"+first+"/toggle", v("return", "/"), 200)
	c.do(t, "POST", "/tasks/"+second+"/toggle", url.Values{}, false, 303)
	page("list, all", "GET", "/", nil, 200)
	page("list, active", "GET", "/active", nil, 200)
	page("list, completed", "GET", "/completed", nil, 200)
	last := ids[len(ids)-1][1]
	page("list, second page", "GET", "/?after="+last, nil, 200)
	fragment("load more (htmx)", "GET", "/?after="+last, nil, 200)
	fragment("task added at the end (htmx)", "POST", "/tasks", v("title", "Added <b>late</b>", "return", "/", "listed", "1"), 200)
	fragment("task added beyond the pages on screen (htmx)", "POST", "/tasks", v("title", "Beyond", "return", "/", "listed", "1", "more", "1"), 200)

	// Live updates: an event's data (the control a page appends), and what the control fetches:
	// changes of tasks in and out of the page's list, and the whole list redrawn.
	fragment("live: changes in the list (htmx)", "GET", "/events/changes?ids="+first+","+second+","+last+",999999&return=/", nil, 200)
	fragment("live: changes, active list, more on the page (htmx)", "GET", "/events/changes?ids="+first+","+second+"&return=/active&more=1", nil, 200)
	fragment("live: the list redrawn (htmx)", "GET", "/events/changes?reload=1&return=/completed", nil, 200)
	docs = append(docs, document{name: "live: an event's data", body: c.eventData(t), fragment: true})
	// Due dates, priorities and tags: added, refused; lists searched, filtered and sorted, as pages
	// and as htmx answers (searching as you type).
	today := time.Now().UTC()
	for i, due := range []string{today.AddDate(0, 0, -3).Format("2006-01-02"), today.Format("2006-01-02"),
		today.AddDate(0, 0, 1).Format("2006-01-02"), today.AddDate(0, 0, 9).Format("2006-01-02"), ""} {
		c.do(t, "POST", "/tasks", v("title", fmt.Sprintf("Buy milk & <bread> %d", i), "due_date", due,
			"priority", []string{"none", "low", "medium", "high", "high"}[i], "tags", "#Work, home errands", "return", "/"), false, 303)
	}
	fragment("task added with a due date, priority and tags (htmx)", "POST", "/tasks",
		v("title", "Call <Sam>", "due_date", today.Format("2006-01-02"), "priority", "high", "tags", "work", "return", "/", "listed", "1"), 200)
	bad := v("title", "Fields at fault", "due_date", "31/12/2026", "priority", "urgent", "tags", "not ok!", "return", "/")
	page("new task refused, due date, priority and tags", "POST", "/tasks", bad, 422)
	bad.Set("listed", "1")
	fragment("new task refused, due date, priority and tags (htmx)", "POST", "/tasks", bad, 422)
	fragment("tag suggestions (htmx)", "GET", "/tags", nil, 200)
	page("list, search", "GET", "/?q=milk", nil, 200)
	// The search form's answer: the whole app section, for htmx to put in place of the one on screen.
	docs = append(docs, document{name: "search results as you type (htmx)", fragment: true,
		body: c.do(t, "GET", "/?q=mil", nil, true, 200, "HX-Target", "todo-app", "HX-Trigger", "list-controls")})
	page("list, search without a match", "GET", "/?q=nothing+like+it", nil, 200)
	page("list, filtered by tag and overdue, sorted by due date", "GET", "/active?tag=work&due=overdue&sort=due&order=desc", nil, 200)
	page("list, sorted by priority", "GET", "/?sort=priority", nil, 200)
	docs = append(docs, document{name: "list, sorted by title (htmx)", fragment: true,
		body: c.do(t, "GET", "/?sort=title&q=task", nil, true, 200, "HX-Target", "todo-app", "HX-Trigger", "list-controls")})
	page("list, a parameter refused", "GET", "/?sort=size", nil, 422)

	// One task: shown, edited inline and on its own page, refused, saved, deleted.
	fragment("task item (htmx)", "GET", "/tasks/"+third, nil, 200)
	fragment("task editing inline (htmx)", "GET", "/tasks/"+third+"/edit", nil, 200)
	page("edit page", "GET", "/tasks/"+third+"/edit", nil, 200)
	page("edit refused", "POST", "/tasks/"+third, v("title", "", "description", "kept <text>", "return", "/"), 422)
	fragment("edit refused (htmx)", "POST", "/tasks/"+third, v("title", "", "description", "kept", "return", "/"), 422)
	page("edit refused, due date, priority and tags", "POST", "/tasks/"+third,
		v("title", "Kept", "due_date", "2026-02-30", "priority", "HIGH", "tags", "a,b,c,d,e,f,g,h,i,j,k", "return", "/"), 422)
	fragment("edit refused, due date, priority and tags (htmx)", "POST", "/tasks/"+third,
		v("title", "Kept", "due_date", "soon", "priority", "low", "tags", "ok", "return", "/"), 422)
	fragment("task saved with a due date, priority and tags (htmx)", "POST", "/tasks/"+third,
		v("title", "Dated", "due_date", today.AddDate(0, 0, -1).Format("2006-01-02"), "priority", "medium", "tags", "work #later", "return", "/"), 200)
	fragment("task saved (htmx)", "POST", "/tasks/"+third, v("title", "Saved & <sound>", "description", "Two\nlines", "return", "/"), 200)
	deleted := fragment("task deleted, with undo (htmx)", "POST", "/tasks/"+third+"/delete", v("return", "/"), 200)
	page("list with the offer to undo", "GET", "/", nil, 200)
	fragment("task gone elsewhere (htmx)", "POST", "/tasks/"+third+"/toggle", v("completed", "true", "return", "/"), 404)
	undo := undoIDs.FindStringSubmatch(deleted)
	if undo == nil {
		t.Fatalf("no undo offer in the delete answer:\n%.2000s", deleted)
	}
	fragment("undone (htmx)", "POST", "/tasks/undo", v("undo", undo[1], "return", "/"), 200)
	fragment("nothing to undo (htmx)", "POST", "/tasks/undo", v("undo", undo[1], "return", "/"), 404)
	page("nothing to undo", "POST", "/tasks/undo", v("undo", undo[1]), 404)
	fragment("toggle all (htmx)", "POST", "/tasks/toggle-all", v("completed", "true", "return", "/"), 200)
	fragment("toggle all, nothing changed (htmx)", "POST", "/tasks/toggle-all", v("completed", "true", "return", "/"), 200)
	fragment("clear completed (htmx)", "POST", "/tasks/clear-completed", v("return", "/active"), 200)
	page("toggle refused", "POST", "/tasks/"+first+"/toggle", v("completed", "maybe"), 422)

	// Errors, as pages and as htmx answers.
	page("error page, no such task", "GET", "/tasks/999999999/edit", nil, 404)
	fragment("error fragment, no such task (htmx)", "POST", "/tasks/999999999/toggle", url.Values{}, 404)
	page("error page, no such page of tasks", "GET", "/?after=x", nil, 404)
	page("error page, no such address", "GET", "/no/such/page", nil, 404)
	page("error page, wrong method", "DELETE", "/active", nil, 405)
	fragment("error fragment, no such address (htmx)", "GET", "/no/such/page", nil, 404)
	req, _ := http.NewRequest("POST", c.base+"/tasks", strings.NewReader("title=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site POST: status %d", resp.StatusCode)
	}
	docs = append(docs, document{name: "error page, cross-site post", body: string(b)})

	// The account page, and deleting the account refused.
	page("account page", "GET", "/account", nil, 200)
	fragment("account deletion refused (htmx)", "POST", "/account/delete", v("password", "wrong password"), 401)
	page("account deletion refused", "POST", "/account/delete", v("password", "wrong password"), 401)
	return docs
}

// eventData reads the event stream until its first event with data (the reset the listener's
// connection sends, or a change) and returns that data.
func (c *client) eventData(t *testing.T) string {
	t.Helper()
	req, _ := http.NewRequest("GET", c.base+"/events", nil)
	req.Header.Set("Accept", "text/event-stream")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stream := &http.Client{Jar: c.http.Jar}
	resp, err := stream.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	go func() {
		// A change, in case the stream was opened after the listener connected (no reset then).
		time.Sleep(200 * time.Millisecond)
		c.do(t, "POST", "/tasks", url.Values{"title": {"Live"}, "return": {"/"}}, false, 303)
	}()
	r := bufio.NewReader(resp.Body)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("the event stream ended before an event with data: %v", err)
		}
		if data, ok := strings.CutPrefix(strings.TrimSpace(line), "data: "); ok {
			return data
		}
	}
}

// wrapFragment puts an htmx fragment in the smallest document around it. A task's <li> (what an
// answer that replaces one starts with; it holds no list of its own) goes into a list, as htmx puts
// it; the out-of-band parts after it stay in the body.
func wrapFragment(f string) string {
	rest := strings.TrimSpace(f)
	items := ""
	for strings.HasPrefix(rest, "<li") {
		end := strings.Index(rest, "</li>")
		if end < 0 {
			break
		}
		items += rest[:end+len("</li>")]
		rest = strings.TrimSpace(rest[end+len("</li>"):])
	}
	if items != "" {
		f = "<ul>" + items + "</ul>" + rest
	}
	return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>fragment</title></head><body>` + f + `</body></html>`
}

func slug(s string) string {
	return strings.Trim(regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(strings.ToLower(s), "-"), "-")
}
