package store_test

import (
	"context"
	"testing"

	"todo/internal/pgtest"
)

func TestSmoke(t *testing.T) {
	s := pgtest.NewStore(t)
	if err := s.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}
