package triage

import (
	"syscall"
	"testing"
	"time"

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
// 20 µs). Beside the time it reports cpu-ns/op, the process's CPU time per
// assessment, which moves less than the time when other work shares the
// machine.
func BenchmarkAssess(b *testing.B) {
	e := testEngine(b)
	req := benchRequest()
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		if _, err := e.Assess(req, requestTime); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}

// cpuTime is the CPU time (user and system) the process has used so far.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
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
