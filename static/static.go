// Package static embeds the stylesheet, the scripts, the icon and the vendored htmx (npm htmx.org
// 2.0.11) and its SSE extension (npm htmx-ext-sse 2.2.4), copied from node_modules by
// `make vendor-htmx`, into the binary, so the app needs no CDN and no files at run time.
//
// Each file is served under a name that carries a hash of its content (app.css is
// /static/app.5d41402abc4b.css): a changed file gets a new URL, so browsers may keep every URL for
// a year without asking again. Pages link them through URL.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"
	"strings"
)

//go:embed *.css *.js *.svg
var FS embed.FS

// Asset is one embedded file under its content-hashed name.
type Asset struct {
	Name        string // the file's own name: app.css
	URL         string // where it is served: /static/app.5d41402abc4b.css
	ETag        string // a strong validator made from the whole content hash
	ContentType string
	Body        []byte
}

var (
	byName   = map[string]*Asset{} // app.css → its asset
	byHashed = map[string]*Asset{} // app.5d41402abc4b.css → the same asset
)

func init() {
	names, err := fs.Glob(FS, "*")
	if err != nil {
		panic(err)
	}
	for _, name := range names {
		body, err := FS.ReadFile(name)
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hash[:12] + ext
		a := &Asset{
			Name: name, URL: "/static/" + hashed, ETag: `"` + hash[:32] + `"`,
			ContentType: mime.TypeByExtension(ext), Body: body,
		}
		byName[name], byHashed[hashed] = a, a
	}
}

// URL is where the embedded file name is served. An unknown name is a mistake in a template: it
// panics at the first render, which every page test does.
func URL(name string) string {
	a, ok := byName[name]
	if !ok {
		panic("static: no embedded file " + name)
	}
	return a.URL
}

// Lookup finds the asset served as /static/<file>; only content-hashed names are served.
func Lookup(file string) (*Asset, bool) {
	a, ok := byHashed[file]
	return a, ok
}
