package triage

import (
	"testing"

	"aftercare/knowledge"
)

func testEngine(t testing.TB) *Engine {
	t.Helper()
	kb, err := knowledge.Default()
	if err != nil {
		t.Fatal(err)
	}
	return New(kb, nil)
}
