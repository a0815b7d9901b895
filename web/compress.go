package web

import (
	"net/http"

	"github.com/klauspost/compress/gzhttp"
	"github.com/klauspost/compress/zstd"
)

// compressedTypes are the answers worth compressing: text. Images the app serves are inline, and
// anything already compressed or streamed (text/event-stream) is left as it is.
var compressedTypes = []string{
	"text/html", "text/css", "text/javascript", "application/javascript", "text/plain",
	"application/json", "application/problem+json", "image/svg+xml",
}

// withCompression compresses answers for clients that accept it: zstd when they take it, else gzip
// (both from klauspost/compress, which negotiates Accept-Encoding, q-values included, and sends
// Vary: Accept-Encoding on every answer). Bodies under 1 KiB go as they are: compressing them saves
// less than it costs. A compressed answer's ETag gets the encoding as a suffix ("…-gzip"), so a
// cache never mistakes one encoding for another.
func withCompression(next http.Handler) (http.Handler, error) {
	wrap, err := gzhttp.NewWrapper(
		gzhttp.MinSize(gzhttp.DefaultMinSize),
		gzhttp.ContentTypes(compressedTypes),
		gzhttp.SuffixETag("-gzip"), // "-zstd" for zstd
		// zstd at its default level (the fastest makes pages 2 % and htmx 5 % larger).
		gzhttp.ZstdCompressionLevel(int(zstd.SpeedDefault)),
	)
	if err != nil {
		return nil, err
	}
	return wrap(next), nil
}
