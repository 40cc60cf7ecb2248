package rules

import (
	"aftercare"
	"aftercare/triage/triagetest"
)

// Seed is the seed of the benchmark's requests; the same seed gives the same requests.
const Seed = triagetest.Seed

// Requests returns n valid, structured assessment requests drawn from seed
// (see triagetest.Requests, which the triage tests use too).
func Requests(n int, seed uint64) []aftercare.Request { return triagetest.Requests(n, seed) }
