package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"todo/todo"
)

// readObject reads a JSON object body into its members, undecoded: an empty body is (nil, nil) when
// emptyOK. A body that is not application/json is errNotJSON (415), one over the limit is
// *http.MaxBytesError (413), one that does not parse is errMalformedJSON (400), and well-formed JSON
// that is not an object, or holds text that is not UTF-8, is invalid input (422).
func readObject(r *http.Request, emptyOK bool) (map[string]json.RawMessage, error) {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, err
		}
		return nil, detailed(errMalformedJSON, "The body could not be read.")
	}
	if len(bytes.TrimSpace(raw)) == 0 && emptyOK {
		return nil, nil
	}
	if !isJSON(r.Header.Get("Content-Type")) {
		return nil, errNotJSON
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, detailed(errMalformedJSON, "The body is empty; send a JSON object.")
	}
	if !json.Valid(raw) {
		return nil, detailed(errMalformedJSON, "The body is not well-formed JSON: "+syntaxProblem(raw))
	}
	if !utf8.Valid(raw) {
		return nil, todo.Invalid("body", "The body contains bytes that are not valid UTF-8 text.")
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil || members == nil {
		return nil, todo.Invalid("body", "The body must be a JSON object.")
	}
	return members, nil
}

// syntaxProblem says where a body stops being JSON.
func syntaxProblem(raw []byte) string {
	var v any
	err := json.Unmarshal(raw, &v)
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return fmt.Sprintf("%s (at byte %d).", syntax.Error(), syntax.Offset)
	}
	if err != nil {
		return err.Error() + "."
	}
	return "unexpected data after the value."
}

// isJSON accepts application/json and any +json type, with or without a UTF-8 charset.
func isJSON(contentType string) bool {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return false
	}
	return mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

// field is one member a body may hold: how to read it into the target.
type field[T any] struct {
	name string
	read func(raw json.RawMessage, into *T) string // "" when fine, else what is wrong, in words
}

// decodeFields reads members into a T through fields, collecting one message per field at fault:
// an unknown member, a value of the wrong type, a required one missing.
func decodeFields[T any](members map[string]json.RawMessage, fields []field[T], required []string) (T, error) {
	var out T
	problems := fieldErrors{}
	for name := range members {
		if !slices.ContainsFunc(fields, func(f field[T]) bool { return f.name == name }) {
			problems[name] = "Unknown field “" + name + "”."
		}
	}
	for _, f := range fields {
		raw, ok := members[f.name]
		if !ok {
			if slices.Contains(required, f.name) {
				problems[f.name] = "This field is required."
			}
			continue
		}
		if msg := f.read(raw, &out); msg != "" {
			problems[f.name] = msg
		}
	}
	if len(problems) > 0 {
		return out, problems
	}
	return out, nil
}

// readString reads a JSON string; with nullOK, null is "".
func readString(raw json.RawMessage, nullOK bool) (string, string) {
	if string(raw) == "null" {
		if nullOK {
			return "", ""
		}
		return "", "Must be a string, not null."
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", "Must be a string."
	}
	return s, ""
}

func readBool(raw json.RawMessage) (bool, string) {
	var b bool
	if string(raw) == "null" || json.Unmarshal(raw, &b) != nil {
		return false, "Must be true or false."
	}
	return b, ""
}
