// Package faults holds the reliability tests of the whole service, run as a
// real process: aftercare is built into a temporary directory and started as
// aftercare serve on a loopback port, on SQLite and on PostgreSQL, and then
// hurt. The package has no code of its own, only tests:
//
//   - crash_test.go: concurrent check-ins with Idempotency-Keys while the
//     server is killed with SIGKILL at random moments and restarted, then
//     every acknowledged check-in, its flag and every follow-up job counted in
//     the database (the figures line: rounds, acknowledged, found,
//     duplicates, jobs lost).
//   - outage_test.go: a private PostgreSQL cluster stopped and restarted under
//     load, and a SQLite file on a full disk (a small tmpfs): requests fail fast
//     with 503, nothing is half-written, and the service recovers by itself.
//   - delivery_test.go: the clinic's webhook and the SMTP server down, then up:
//     reminders and flag notices are retried and delivered later.
//   - idempotency_test.go: the Idempotency-Key header, refused when malformed,
//     and a retry answered as a replay of the first check-in.
//   - restore_test.go: aftercare restore refuses while serve has the database open.
//   - slowclient_test.go: a client sending its headers byte by byte is cut off.
//   - knowledge_test.go: stored assessments keep the knowledge version they
//     were made with when a newer knowledge base is served; re-assessing on
//     demand stores nothing.
//   - soak_test.go: steady load with memory, goroutines and latency watched.
//
// Quick by default (CI); AFTERCARE_SOAK=10m makes the soak (and the crash
// rounds) longer. With AFTERCARE_FAULTS_REPORT=FILE the figures are also
// appended to FILE, for scripts/test to print; AFTERCARE_FAULTS_BIN=PATH
// tests a binary built elsewhere instead of building one.
package faults
