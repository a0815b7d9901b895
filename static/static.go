// Package static embeds the stylesheet and the vendored htmx (npm htmx.org 2.0.11, copied from
// node_modules by `make vendor-htmx`) into the binary, so the app needs no CDN and no files at run time.
package static

import "embed"

//go:embed *.css *.js
var FS embed.FS
