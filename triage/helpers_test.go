package triage

import (
	"testing"
)

func testEngine(t testing.TB) *Engine {
	t.Helper()
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return e
}
