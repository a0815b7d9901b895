package api_test

import (
	"bytes"
	"net/http"
	"os"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
)

// The document is valid OpenAPI 3.1 by the validator's embedded specification schema, and it is what
// GET /api/openapi.json serves, to anyone, without credentials.
func TestOpenAPIDocument(t *testing.T) {
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := libopenapi.NewDocument(raw)
	if err != nil {
		t.Fatal(err)
	}
	if v := doc.GetVersion(); v != "3.1.0" {
		t.Fatalf("openapi %q, want 3.1.0", v)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			t.Errorf("openapi.json: %s: %s %v", e.Message, e.Reason, schemaErrors(e))
		}
	}

	a := newTestAPI(t)
	w := a.do(t, http.MethodGet, "/api/openapi.json", nil, nil).want(http.StatusOK)
	if !bytes.Equal(w.Body.Bytes(), raw) || w.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("served %q (%d bytes), not the document", w.Header().Get("Content-Type"), w.Body.Len())
	}
	// The validator itself refuses what breaks the document: a task without its id.
	broken := []byte(`[{"user_id":"u","title":"t","description":null,"completed":false,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}]`)
	if checkBody(t, http.MethodGet, "/api/u/tasks", http.StatusOK, broken) {
		t.Fatal("the validator accepted a task without an id")
	}
}
