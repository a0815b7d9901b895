package static

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// The vendored scripts must be exactly the npm releases package-lock.json pins: htmx.org 2.0.11 and
// its SSE extension htmx-ext-sse 2.2.4 (the extension for htmx 2), byte for byte what
// `make vendor-htmx` copies, and what the binary embeds.
func TestVendoredScriptsAreTheNPMReleases(t *testing.T) {
	for _, v := range []struct {
		pkg, version, dist, file, marker string
	}{
		{"htmx.org", "2.0.11", "dist/htmx.min.js", "htmx.min.js", `version:"2.0.11"`},
		{"htmx-ext-sse", "2.2.4", "dist/sse.min.js", "sse.min.js", `htmx.defineExtension("sse"`},
	} {
		npmDir := "../node_modules/" + v.pkg + "/"
		raw, err := os.ReadFile(npmDir + "package.json")
		if err != nil {
			t.Fatalf("%v: run `npm ci` (make test does)", err)
		}
		var pkg struct{ Version string }
		if err := json.Unmarshal(raw, &pkg); err != nil {
			t.Fatal(err)
		}
		if pkg.Version != v.version {
			t.Fatalf("node_modules has %s %s, want %s", v.pkg, pkg.Version, v.version)
		}
		want, err := os.ReadFile(npmDir + v.dist)
		if err != nil {
			t.Fatal(err)
		}
		onDisk, err := os.ReadFile(v.file)
		if err != nil {
			t.Fatal(err)
		}
		embedded, err := FS.ReadFile(v.file)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(onDisk, want) || !bytes.Equal(embedded, want) {
			t.Fatalf("static/%s (%d bytes, embedded %d) differs from npm's (%d bytes): run `make vendor-htmx`",
				v.file, len(onDisk), len(embedded), len(want))
		}
		if !bytes.Contains(want, []byte(v.marker)) {
			t.Fatalf("%s does not contain %s", v.file, v.marker)
		}
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
