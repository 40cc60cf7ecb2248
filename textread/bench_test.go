package textread

import (
	"syscall"
	"testing"
	"time"
)

// benchText is a typical message of about 300 characters.
const benchText = "Had a deep tissue massage on Monday with quite firm pressure on my calves and hamstrings. " +
	"Two days later my left calf is still sore, about 5/10, and it hurts when I walk down stairs. " +
	"No swelling or redness, no numbness, but a small bruise behind my knee. I'm on warfarin. Should I worry about a clot?"

// BenchmarkRead300 reads a message of about 300 characters. Besides the
// wall time it reports the CPU time of the process per read (cpu-ns/op),
// which a busy machine does not inflate; the reader's budget is 100 µs.
func BenchmarkRead300(b *testing.B) {
	r := Default()
	at := time.Date(2026, 1, 14, 16, 0, 0, 0, time.UTC)
	b.SetBytes(int64(len(benchText)))
	b.ReportAllocs()
	before := cpuTime()
	for b.Loop() {
		r.Read(benchText, at)
	}
	b.ReportMetric(float64(cpuTime()-before)/float64(b.N), "cpu-ns/op")
}

// cpuTime returns the user and system CPU time of the process.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
