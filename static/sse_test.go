package static

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
)

// The vendored SSE extension must be exactly npm's htmx-ext-sse 2.2.4 (the version package-lock.json
// pins, the extension for htmx 2): byte for byte what `make vendor-htmx` copies, and what the binary
// embeds.
func TestSSEExtensionIsTheNPMRelease(t *testing.T) {
	const npmDir = "../node_modules/htmx-ext-sse/"
	raw, err := os.ReadFile(npmDir + "package.json")
	if err != nil {
		t.Fatalf("%v: run `npm ci` (make test does)", err)
	}
	var pkg struct{ Version string }
	if err := json.Unmarshal(raw, &pkg); err != nil {
		t.Fatal(err)
	}
	if pkg.Version != "2.2.4" {
		t.Fatalf("node_modules has htmx-ext-sse %s, want 2.2.4", pkg.Version)
	}
	want, err := os.ReadFile(npmDir + "dist/sse.min.js")
	if err != nil {
		t.Fatal(err)
	}
	onDisk, err := os.ReadFile("sse.min.js")
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := FS.ReadFile("sse.min.js")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(onDisk, want) || !bytes.Equal(embedded, want) {
		t.Fatalf("static/sse.min.js (%d bytes, embedded %d) differs from npm's (%d bytes): run `make vendor-htmx`",
			len(onDisk), len(embedded), len(want))
	}
	if !bytes.Contains(want, []byte(`htmx.defineExtension("sse"`)) {
		t.Fatal("the file does not define the sse extension")
	}
}
