// Command ingest measures durable check-in ingest against the database's own
// ceiling, on SQLite and on PostgreSQL, in one run.
//
// The store side is what the check-in door does after decoding: the engine
// grades the request (triage Assess), then the store's CreateCheckIn records
// it in one transaction, with, at consult and above, the flag and the River
// job that tells the clinic; it returns once the transaction has committed
// (SQLite WAL with synchronous=FULL, PostgreSQL with synchronous_commit on),
// so every counted check-in is durable. The ceiling is a bare single-row
// INSERT of the same columns and the same JSON into a table like check_ins
// (no foreign keys, no secondary index), in autocommit, on the same
// database with the same settings (for SQLite the store's own DSN and its
// one-writer pool; for PostgreSQL a pool of the store's default size).
//
// For each number of concurrent writers, each round runs the ceiling and the
// store for the same time, alternating which goes first.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	_ "modernc.org/sqlite"

	"aftercare"
	"aftercare/bench/dbs"
	"aftercare/bench/proposals"
	"aftercare/bench/results"
	"aftercare/postgres"
	"aftercare/sqlite"
	"aftercare/triage"
	"aftercare/triage/triagetest"
)

func main() {
	dir := flag.String("dir", "", "where SQLite's databases go (default: a new temporary directory)")
	pg := flag.String("postgres", "", "a postgres:// URL of the server's admin database (e.g. postgres://postgres@127.0.0.1:5432/postgres); empty skips PostgreSQL")
	withSQLite := flag.Bool("sqlite", true, "measure SQLite (--sqlite=false with --postgres measures PostgreSQL alone)")
	rounds := flag.Int("rounds", 3, "rounds per number of writers")
	duration := flag.Duration("duration", 5*time.Second, "measured time of each run")
	writersFlag := flag.String("writers", "1,4,16", "numbers of concurrent writers")
	out := flag.String("out", "ingest.json", "where to write the results")
	flagged := flag.Float64("flagged", 0.15, "the share of check-ins graded consult or above (flagged, with a River job)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run here")
	flag.Parse()
	ctx := context.Background()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	var writers []int
	for _, w := range strings.Split(*writersFlag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(w))
		if err != nil || n < 1 {
			log.Fatalf("ingest: --writers %q", *writersFlag)
		}
		writers = append(writers, n)
	}
	eng, err := triage.Default()
	if err != nil {
		log.Fatal(err)
	}
	reqs, err := checkInMix(eng, 1000, *flagged)
	if err != nil {
		log.Fatal(err)
	}

	if *dir == "" {
		tmp, err := os.MkdirTemp("", "ingest-")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(tmp)
		*dir = tmp
	}
	res := results.Ingest{Flagged: *flagged}

	// SQLite.
	if *withSQLite {
		sdir := filepath.Join(*dir, "sqlite")
		st, err := sqlite.Open(ctx, sdir)
		if err != nil {
			log.Fatal(err)
		}
		ceil, err := sql.Open("sqlite", sqliteDSN(filepath.Join(sdir, sqlite.FileName)))
		if err != nil {
			log.Fatal(err)
		}
		ceil.SetMaxOpenConns(1)
		if _, err := ceil.ExecContext(ctx, `CREATE TABLE ceiling (
			id INTEGER PRIMARY KEY AUTOINCREMENT, clinic_id INTEGER NOT NULL, session_id INTEGER NOT NULL,
			hours_since REAL NOT NULL, request TEXT NOT NULL, assessment TEXT NOT NULL, level TEXT NOT NULL,
			knowledge_version TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL)`); err != nil {
			log.Fatal(err)
		}
		insert := func(ctx context.Context, row *ceilingRow) error {
			_, err := ceil.ExecContext(ctx, `INSERT INTO ceiling (clinic_id, session_id, hours_since, request, assessment,
				level, knowledge_version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				row.clinicID, row.sessionID, row.hours, row.request, row.assessment, row.level, row.version,
				row.created.UTC().Format("2006-01-02T15:04:05.000000Z"))
			return err
		}
		pdb, err := sql.Open("sqlite", sqliteDSN(filepath.Join(sdir, sqlite.FileName)))
		if err != nil {
			log.Fatal(err)
		}
		pdb.SetMaxOpenConns(1)
		group, err := proposals.NewGroupCommitSQLite(pdb, 64)
		if err != nil {
			log.Fatal(err)
		}
		r := measure(ctx, "SQLite (WAL, synchronous=FULL, one writer connection)", st, insert,
			"group commit (bench/proposals)", group, eng, reqs, writers, *rounds, *duration)
		res.DBs = append(res.DBs, r)
		group.Close()
		pdb.Close()
		ceil.Close()
		st.Close()
	}

	// PostgreSQL.
	if *pg != "" {
		db, err := dbs.CreatePostgres(ctx, *pg, "ingest")
		if err != nil {
			log.Fatal(err)
		}
		defer db.Drop(context.Background())
		st, err := postgres.Open(ctx, db.URL)
		if err != nil {
			log.Fatal(err)
		}
		// A pool of the store's size (pgxpool's default), synchronous_commit as the server has it (on).
		pool, err := pgxpool.New(ctx, db.URL)
		if err != nil {
			log.Fatal(err)
		}
		var sync string
		if err := pool.QueryRow(ctx, `SHOW synchronous_commit`).Scan(&sync); err != nil {
			log.Fatal(err)
		}
		if _, err := pool.Exec(ctx, `CREATE TABLE ceiling (
			id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, clinic_id bigint NOT NULL, session_id bigint NOT NULL,
			hours_since double precision NOT NULL, request json NOT NULL, assessment json NOT NULL, level text NOT NULL,
			knowledge_version text NOT NULL DEFAULT '', created_at timestamptz NOT NULL)`); err != nil {
			log.Fatal(err)
		}
		insert := func(ctx context.Context, row *ceilingRow) error {
			_, err := pool.Exec(ctx, `INSERT INTO ceiling (clinic_id, session_id, hours_since, request, assessment,
				level, knowledge_version, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
				row.clinicID, row.sessionID, row.hours, row.request, row.assessment, row.level, row.version, row.created)
			return err
		}
		name := fmt.Sprintf("PostgreSQL (synchronous_commit=%s, pool of %d)", sync, pool.Config().MaxConns)
		ppool, err := pgxpool.New(ctx, db.URL)
		if err != nil {
			log.Fatal(err)
		}
		defer ppool.Close()
		one, err := proposals.NewOneStatementPostgres(ppool)
		if err != nil {
			log.Fatal(err)
		}
		r := measure(ctx, name, st, insert, "one statement below consult (bench/proposals)", one, eng, reqs, writers, *rounds, *duration)
		res.DBs = append(res.DBs, r)
		pool.Close()
		st.Close()
	}

	b, _ := json.MarshalIndent(res, "", "  ")
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		log.Fatal(err)
	}
}

// sqliteDSN is the store's write-pool DSN (package sqlite's dsn): WAL,
// synchronous=FULL, foreign keys on, IMMEDIATE transactions.
func sqliteDSN(path string) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "10000")
	q.Set("_synchronous", "FULL")
	q.Set("_txlock", "immediate")
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// ceilingRow is one row of the ceiling's table.
type ceilingRow struct {
	clinicID, sessionID int64
	hours               float64
	request, assessment string
	level, version      string
	created             time.Time
}

// world is the clinic, client and sessions the check-ins go to.
type world struct {
	clinic   int64
	sessions []int64
}

func setup(ctx context.Context, st aftercare.Store) (*world, error) {
	c := &aftercare.Clinic{Name: "Ingest Clinic", FollowUpHours: []int{24, 48, 72}}
	if err := st.CreateClinic(ctx, c); err != nil {
		return nil, err
	}
	w := &world{clinic: c.ID}
	for i := range 20 {
		cl := &aftercare.Client{ClinicID: c.ID, Name: fmt.Sprintf("Client %d", i), Email: fmt.Sprintf("c%d@example.com", i)}
		if err := st.CreateClient(ctx, cl); err != nil {
			return nil, err
		}
		for j := range 10 {
			ended := time.Now().Add(-time.Duration(j+1) * 6 * time.Hour).Truncate(time.Microsecond)
			_, hash := aftercare.NewSecret("c_")
			se := &aftercare.Session{ClinicID: c.ID, ClientID: cl.ID, Style: "deep_tissue", Pressure: "firm",
				AreasWorked: []string{"neck", "lower_back"}, EndedAt: ended, LinkExpiresAt: ended.Add(14 * 24 * time.Hour)}
			for _, h := range []int{24, 48, 72} {
				se.FollowUps = append(se.FollowUps, aftercare.FollowUp{Hours: h, DueAt: ended.Add(time.Duration(h) * time.Hour), Status: "scheduled"})
			}
			if err := st.CreateSession(ctx, se, hash); err != nil {
				return nil, err
			}
			w.sessions = append(w.sessions, se.ID)
		}
	}
	return w, nil
}

// checkInWriter is what records a check-in: the store, or a proposal.
type checkInWriter interface {
	CreateCheckIn(ctx context.Context, c *aftercare.CheckIn) (*aftercare.Flag, error)
}

func measure(ctx context.Context, name string, st aftercare.Store, insert func(context.Context, *ceilingRow) error,
	proposalName string, proposal checkInWriter,
	eng *triage.Engine, reqs []aftercare.Request, writers []int, rounds int, d time.Duration) results.IngestDB {
	w, err := setup(ctx, st)
	if err != nil {
		log.Fatalf("%s: %v", name, err)
	}
	r := results.IngestDB{Database: name, Store: map[int][]results.IngestRun{}, Ceiling: map[int][]results.IngestRun{},
		Proposal: map[int][]results.IngestRun{}, ProposalName: proposalName}
	// The ceiling's rows: the same JSON the store writes, graded once.
	rows := make([]ceilingRow, len(reqs))
	for i, req := range reqs {
		resp, err := eng.Assess(req, time.Now())
		if err != nil {
			log.Fatal(err)
		}
		rq, _ := json.Marshal(req)
		rs, _ := json.Marshal(resp)
		rows[i] = ceilingRow{clinicID: w.clinic, sessionID: w.sessions[i%len(w.sessions)], hours: hoursOf(req),
			request: string(rq), assessment: string(rs), level: resp.Level.String(), version: resp.KnowledgeVersion}
	}
	writeWith := func(cw checkInWriter) func(ctx context.Context, i int) (bool, error) {
		return func(ctx context.Context, i int) (bool, error) {
			req := reqs[i%len(reqs)]
			now := time.Now()
			resp, err := eng.Assess(req, now)
			if err != nil {
				return false, err
			}
			c := &aftercare.CheckIn{ClinicID: w.clinic, SessionID: w.sessions[i%len(w.sessions)], HoursSince: hoursOf(req),
				Request: req, Assessment: *resp, CreatedAt: now}
			flag, err := cw.CreateCheckIn(ctx, c)
			return flag != nil, err
		}
	}
	storeSide, proposalSide := writeWith(st), writeWith(proposal)
	ceilingSide := func(ctx context.Context, i int) (bool, error) {
		row := rows[i%len(rows)]
		row.created = time.Now()
		return false, insert(ctx, &row)
	}
	for _, n := range writers {
		first := true
		for round := range rounds {
			sides := []struct {
				name string
				fn   func(context.Context, int) (bool, error)
				runs map[int][]results.IngestRun
			}{{"ceiling", ceilingSide, r.Ceiling}, {"store", storeSide, r.Store}, {"proposal", proposalSide, r.Proposal}}
			if !first {
				slices.Reverse(sides)
			}
			first = !first
			for _, s := range sides {
				run := timed(ctx, n, d, s.fn)
				log.Printf("%s, %d writers, round %d, %s: %.0f rows/s (p50 %v, p99 %v, %d flagged)",
					name, n, round+1, s.name, run.PerSecond, run.P50, run.P99, run.Flags)
				s.runs[n] = append(s.runs[n], run)
			}
		}
	}
	return r
}

// checkInMix draws n check-in requests from the generated population
// (triagetest.Requests, which is built to make every rule fire and so is
// mostly red flags) with the given share graded consult or above, the rest
// self_care or monitor, in a fixed interleaved order.
func checkInMix(eng *triage.Engine, n int, flagged float64) ([]aftercare.Request, error) {
	var low, high []aftercare.Request
	for _, req := range triagetest.Requests(4*n, triagetest.Seed) {
		resp, err := eng.Assess(req, time.Now())
		if err != nil {
			return nil, err
		}
		if resp.Level >= aftercare.Consult {
			high = append(high, req)
		} else {
			low = append(low, req)
		}
	}
	var out []aftercare.Request
	acc := 0.0
	for i := range n {
		acc += flagged
		if acc >= 1 && len(high) > 0 {
			acc--
			out = append(out, high[i%len(high)])
		} else {
			out = append(out, low[i%len(low)])
		}
	}
	return out, nil
}

func hoursOf(req aftercare.Request) float64 {
	if req.HoursSince != nil {
		return *req.HoursSince
	}
	return 24
}

// timed runs n writers calling fn for d and counts what was acknowledged.
func timed(ctx context.Context, n int, d time.Duration, fn func(context.Context, int) (bool, error)) results.IngestRun {
	end := time.Now().Add(d)
	lats := make([][]int64, n)
	flags := make([]int, n)
	var wg sync.WaitGroup
	var failed error
	var mu sync.Mutex
	start := time.Now()
	for w := range n {
		wg.Go(func() {
			for i := w; time.Now().Before(end); i += n {
				t0 := time.Now()
				flagged, err := fn(ctx, i)
				if err != nil {
					mu.Lock()
					failed = err
					mu.Unlock()
					return
				}
				lats[w] = append(lats[w], int64(time.Since(t0)))
				if flagged {
					flags[w]++
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if failed != nil {
		log.Fatal(failed)
	}
	var all []int64
	run := results.IngestRun{Writers: n}
	for w := range n {
		all = append(all, lats[w]...)
		run.Flags += flags[w]
	}
	slices.Sort(all)
	run.Rows = len(all)
	run.PerSecond = float64(len(all)) / elapsed.Seconds()
	if len(all) > 0 {
		run.P50 = time.Duration(all[len(all)/2])
		run.P99 = time.Duration(all[len(all)*99/100])
	}
	return run
}
