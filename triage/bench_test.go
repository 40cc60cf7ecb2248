package triage

import (
	"testing"

	"aftercare"
	"aftercare/knowledge"
)

func benchRequest() aftercare.Request {
	h, h1 := 30.0, 20.0
	return aftercare.Request{
		Style: "deep_tissue", Pressure: "firm", AreasWorked: []string{"neck", "lower_back"}, HoursSince: &h,
		Soreness: []aftercare.Soreness{{Area: "lower_back", Pain: 4}}, Symptoms: []string{"headache"},
		Health: []string{"blood_thinners"}, History: []aftercare.HistoryPoint{{HoursSince: &h1, Pain: 3}},
	}
}

// BenchmarkAssess is one assessment of a structured request (target: under
// 20 µs and 100 allocations on a 2-core machine).
func BenchmarkAssess(b *testing.B) {
	e := testEngine(b)
	req := benchRequest()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Assess(req, requestTime); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadKnowledge parses, validates and compiles the built-in
// knowledge base (target: under 50 ms).
func BenchmarkLoadKnowledge(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := knowledge.Parse(knowledge.Builtin(), knowledge.BuiltinName); err != nil {
			b.Fatal(err)
		}
	}
}
