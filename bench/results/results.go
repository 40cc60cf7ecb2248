// Package results holds the result types the benchmark commands write as
// JSON (cmd/httpbench, cmd/ingest, cmd/scale) and cmd/report reads.
package results

import (
	"time"

	"aftercare/bench/loadgen"
)

// HTTP is what httpbench writes.
type HTTP struct {
	// Conns is the closed loop's concurrency.
	Conns int `json:"conns"`
	// Bodies is how many distinct request bodies were sent; TextBodies how many carry free text.
	Bodies     int `json:"bodies"`
	TextBodies int `json:"text_bodies"` // bodies with free text
	// Closed holds the closed-loop runs by door ("assess", "healthz"), in round order.
	Closed map[string][]loadgen.Result `json:"closed"`
	// Open holds the open-loop runs by door.
	Open map[string][]loadgen.Result `json:"open"`
	// StartupMS is the server's ("aftercare") time from exec to the first 200 from /readyz, in ms.
	StartupMS map[string]float64 `json:"startup_ms"`
	// Memory is the server's ("aftercare") peak and current resident memory after the load.
	Memory map[string]Memory `json:"memory"`
	// Database says what aftercare served from.
	Database string `json:"database"`
	// CPUPerRequest holds, by door and in round order, the CPU time
	// (user and system, from /proc) the server process spent per request
	// answered in the closed loop's measured time, in microseconds.
	CPUPerRequest map[string][]float64 `json:"cpu_per_request_us,omitempty"`
}

// Memory is a process's resident memory in bytes.
type Memory struct {
	// HWM is the peak resident set (VmHWM).
	HWM int64 `json:"vm_hwm"`
	// RSS is the resident set when read (VmRSS).
	RSS int64 `json:"vm_rss"`
}

// Ingest is what ingest writes.
type Ingest struct {
	// Flagged is the share of check-ins graded consult or above.
	Flagged float64 `json:"flagged"`
	// DBs holds each database's runs.
	DBs []IngestDB `json:"dbs"`
}

// IngestDB is one database's ingest runs.
type IngestDB struct {
	// Database names the database and its settings.
	Database string `json:"database"`
	// Store and Ceiling hold the runs by writers, in round order.
	Store   map[int][]IngestRun `json:"store"`
	Ceiling map[int][]IngestRun `json:"ceiling"` // the bare INSERT loop's runs, by writers
	// Proposal holds the runs of the proposed change (bench/proposals),
	// named by ProposalName, when one was measured.
	Proposal     map[int][]IngestRun `json:"proposal,omitempty"`
	ProposalName string              `json:"proposal_name,omitempty"` // what the proposal is
}

// IngestRun is one timed run of one side.
type IngestRun struct {
	// Writers is the number of concurrent writers.
	Writers int `json:"writers"`
	// Rows is the number of rows (check-ins) committed in the measured time.
	Rows int `json:"rows"`
	// PerSecond is Rows a second.
	PerSecond float64 `json:"per_second"`
	// P50 and P99 are the latencies of one acknowledged write.
	P50 time.Duration `json:"p50_ns"`
	P99 time.Duration `json:"p99_ns"` // 99th percentile latency
	// Flags is how many of the check-ins were flagged (and queued a River job).
	Flags int `json:"flags,omitempty"`
}

// Scale is what scale writes.
type Scale struct {
	// Database is "SQLite" or "PostgreSQL"; Version its version.
	Database string `json:"database"`
	Version  string `json:"version"` // the database's version
	// Config is the population's size; Rows what was loaded.
	Config ScaleConfig `json:"config"`
	Rows   ScaleCounts `json:"rows"` // what was loaded
	// LoadSeconds is how long generating and loading took.
	LoadSeconds float64 `json:"load_seconds"`
	// Reused, when set, says the run measured a database loaded earlier
	// instead of loading one (scale --reuse), and what was done to it since.
	Reused string `json:"reused,omitempty"`
	// Superseded, when set, says which later run replaces this one's figures
	// and why; the report keeps such a run for the record, out of its targets.
	Superseded string `json:"superseded,omitempty"`
	// Condition, when set, names in a few words the state the database was
	// measured in (such as "from a cold cache"), for the targets table.
	Condition string `json:"condition,omitempty"`
	// Timings are the queries' latencies; Plans their query plans.
	Timings []Timing `json:"timings"`
	Plans   []Plan   `json:"plans"` // the statements' query plans
	// CheckInBytes is the bytes of check_ins (table with TOAST, and its
	// indexes) per check-in; CheckInPayload the mean length of a stored
	// request plus its answer (the JSON).
	CheckInBytes   float64 `json:"check_in_bytes"`
	CheckInPayload float64 `json:"check_in_payload_bytes"` // mean JSON bytes of a stored check-in
	// DatabaseBytes is the whole database's size on disk.
	DatabaseBytes int64 `json:"database_bytes"`
	// Location is where the database is (a directory or a URL), when kept.
	Location string `json:"location,omitempty"`
}

// ScaleConfig is the population's size.
type ScaleConfig struct {
	Clinics  int `json:"clinics"`   // clinics
	Clients  int `json:"clients"`   // clients, spread evenly over the clinics
	CheckIns int `json:"check_ins"` // check-ins, three a session
}

// ScaleCounts is how many rows of each kind were loaded.
type ScaleCounts struct {
	Clinics   int // rows of clinics
	Clients   int // rows of clients
	Sessions  int // rows of sessions
	FollowUps int // rows of follow_ups
	CheckIns  int // rows of check_ins
	Flags     int // rows of flags
	Jobs      int // River reminder jobs
}

// Timing is one query's latencies over many random ids.
type Timing struct {
	Name    string        `json:"name"`    // the query
	Samples int           `json:"samples"` // how many calls were timed
	P50     time.Duration `json:"p50_ns"`  // median latency
	P99     time.Duration `json:"p99_ns"`  // 99th percentile latency
	Max     time.Duration `json:"max_ns"`  // slowest call
	// Rows is the mean number of rows (flags, sessions, jobs) per call.
	Rows float64 `json:"rows"`
}

// Plan is one statement's query plan.
type Plan struct {
	Query string `json:"query"` // what the statement is for
	SQL   string `json:"sql"`   // the statement
	Plan  string `json:"plan"`  // EXPLAIN's output
}
