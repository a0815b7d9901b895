package static

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// The vendored htmx must be exactly npm's htmx.org 2.0.11 (the version package-lock.json pins):
// byte for byte what `make vendor-htmx` copies, and what the binary embeds.
func TestHTMXIsTheNPMRelease(t *testing.T) {
	const npmDir = "../node_modules/htmx.org/"
	raw, err := os.ReadFile(npmDir + "package.json")
	if err != nil {
		t.Fatalf("%v: run `npm ci` (make test does)", err)
	}
	var pkg struct{ Version string }
	if err := json.Unmarshal(raw, &pkg); err != nil {
		t.Fatal(err)
	}
	if pkg.Version != "2.0.11" {
		t.Fatalf("node_modules has htmx.org %s, want 2.0.11", pkg.Version)
	}
	want, err := os.ReadFile(npmDir + "dist/htmx.min.js")
	if err != nil {
		t.Fatal(err)
	}
	onDisk, err := os.ReadFile("htmx.min.js")
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := FS.ReadFile("htmx.min.js")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(onDisk, want) || !bytes.Equal(embedded, want) {
		t.Fatalf("static/htmx.min.js (%d bytes, embedded %d) differs from npm's (%d bytes): run `make vendor-htmx`",
			len(onDisk), len(embedded), len(want))
	}
	if !bytes.Contains(want, []byte(`version:"2.0.11"`)) {
		t.Fatal("the file does not declare version 2.0.11")
	}
}

// app.js and app.css are embedded, and app.js stays small and free of eval-like calls (the CSP).
func TestAppAssetsEmbedded(t *testing.T) {
	js, err := FS.ReadFile("app.js")
	if err != nil {
		t.Fatal(err)
	}
	if len(js) > 6<<10 {
		t.Fatalf("app.js is %d bytes: keep it small", len(js))
	}
	for _, bad := range []string{"eval(", "new Function", "innerHTML", "setTimeout(\""} {
		if strings.Contains(string(js), bad) {
			t.Fatalf("app.js uses %s", bad)
		}
	}
	if _, err := FS.ReadFile("app.css"); err != nil {
		t.Fatal(err)
	}
}
