// Command scale loads a generated clinic population into a fresh database
// (SQLite or PostgreSQL) through the store's own migrations, then times the
// three queries a clinic lives on, with the query plans:
//
//   - the flag queue: the store's ListFlags for a random clinic;
//   - a client's timeline: the store's ListSessions for a random client
//     (every session with its follow-ups and check-ins);
//   - the due reminders: River's query for scheduled jobs that are due (the
//     read of its scheduler, JobScheduleGetEligible on SQLite and JobSchedule's
//     on PostgreSQL), and the follow-ups still scheduled and due
//     (follow_ups_due_idx).
//
// It also reports the bytes a stored check-in takes (table and indexes), and
// how long the load took.
//
// The population: clinics; clients spread evenly over them; sessions (one
// per three check-ins, spread over the clients, ending evenly over the last
// year); three follow-ups a session (24, 48, 72 h; sent or skipped when past,
// scheduled when not) with River reminder jobs for those scheduled or
// finished within River's one-day retention (older finished jobs are deleted
// by River's cleaner); a client link per session; check-ins with the
// engine's real requests and answers (the generated population of
// triagetest with the check-in mix of cmd/ingest: 15% consult or above); a
// flag for each of those, acknowledged when older than three days.
package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	_ "modernc.org/sqlite"

	"aftercare"
	"aftercare/bench/dbs"
	"aftercare/bench/results"
	"aftercare/followup"
	"aftercare/postgres"
	"aftercare/sqlite"
	"aftercare/triage"
	"aftercare/triage/triagetest"
)

func main() {
	kind := flag.String("db", "sqlite", "sqlite or postgres")
	dir := flag.String("dir", "", "SQLite's data directory (default: a new temporary one)")
	pg := flag.String("postgres", "postgres://postgres@127.0.0.1:5432/postgres", "the PostgreSQL server's admin database URL")
	clinics := flag.Int("clinics", 100, "clinics")
	clients := flag.Int("clients", 10_000, "clients")
	checkins := flag.Int("checkins", 100_000, "check-ins")
	samples := flag.Int("samples", 2000, "random ids timed per query")
	keep := flag.Bool("keep", false, "keep the database (its location is in the results)")
	estimate := flag.Bool("estimate", false, "only print the bytes a check-in takes, from a small load, and the disk the population would need")
	out := flag.String("out", "scale.json", "where to write the results")
	reuse := flag.String("reuse", "", "PostgreSQL: measure again the database of this results file, of a run with --keep, instead of loading one")
	reuseNote := flag.String("reuse-note", "", "with --reuse: what was done to the database since it was loaded, for the report")
	condition := flag.String("condition", "", "a few words on the state the database is measured in (such as \"from a cold cache\"), for the report's targets")
	flag.Parse()
	ctx := context.Background()
	cfg := results.ScaleConfig{Clinics: *clinics, Clients: *clients, CheckIns: *checkins}
	var earlier results.Scale
	if *reuse != "" {
		b, err := os.ReadFile(*reuse)
		if err == nil {
			err = json.Unmarshal(b, &earlier)
		}
		if err != nil {
			log.Fatalf("scale: --reuse: %v", err)
		}
		if earlier.Database != "PostgreSQL" || earlier.Location == "" {
			log.Fatalf("scale: --reuse: %s is not a PostgreSQL run made with --keep", *reuse)
		}
		cfg, *kind = earlier.Config, "postgres"
	}
	if cfg.Clinics < 1 || cfg.Clients < cfg.Clinics || cfg.CheckIns < 3 {
		log.Fatal("scale: need clinics ≥ 1, clients ≥ clinics, check-ins ≥ 3")
	}
	res := results.Scale{Config: cfg, Condition: *condition}

	var (
		st    aftercare.Store
		ld    loader
		query querier
		done  func()
	)
	switch *kind {
	case "sqlite":
		d := *dir
		if d == "" {
			tmp, err := os.MkdirTemp("", "scale-")
			if err != nil {
				log.Fatal(err)
			}
			d = tmp
		}
		s, err := sqlite.Open(ctx, d)
		if err != nil {
			log.Fatal(err)
		}
		db, err := sql.Open("sqlite", "file:"+s.Path()+"?_journal_mode=WAL&_busy_timeout=10000&_foreign_keys=off")
		if err != nil {
			log.Fatal(err)
		}
		db.SetMaxOpenConns(1)
		st, ld, query = s, &sqliteLoader{db: db}, &sqliteQuerier{db: db}
		res.Database = "SQLite"
		path := s.Path()
		done = func() {
			for _, p := range []string{path, path + "-wal"} {
				if fi, err := os.Stat(p); err == nil {
					res.DatabaseBytes += fi.Size()
				}
			}
			db.Close()
			s.Close()
			if *keep {
				res.Location = d
			} else {
				os.RemoveAll(d)
			}
		}
	case "postgres":
		var pdb *dbs.PostgresDB
		if *reuse == "" {
			var err error
			if pdb, err = dbs.CreatePostgres(ctx, *pg, "scale"); err != nil {
				log.Fatal(err)
			}
		} else {
			pdb = &dbs.PostgresDB{URL: earlier.Location}
			*keep = true
		}
		s, err := postgres.Open(ctx, pdb.URL)
		if err != nil {
			log.Fatal(err)
		}
		pool, err := pgxpool.New(ctx, pdb.URL)
		if err != nil {
			log.Fatal(err)
		}
		st, ld, query = s, &pgLoader{pool: pool}, &pgQuerier{pool: pool}
		res.Database = "PostgreSQL"
		done = func() {
			_ = pool.QueryRow(ctx, `SELECT pg_database_size(current_database())`).Scan(&res.DatabaseBytes)
			pool.Close()
			s.Close()
			if *keep {
				res.Location = pdb.URL
			} else if err := pdb.Drop(ctx); err != nil {
				log.Printf("scale: dropping %s: %v", pdb.Name, err)
			}
		}
	default:
		log.Fatalf("scale: --db %q: sqlite or postgres", *kind)
	}

	if *reuse != "" {
		res.Rows, res.Reused = earlier.Rows, *reuseNote
		if res.Reused == "" {
			res.Reused = "measured again"
		}
		log.Printf("%s: measuring again %+v", res.Database, res.Rows)
	} else {
		began := time.Now()
		counts, err := generate(ctx, cfg, ld, *kind)
		if err != nil {
			done()
			log.Fatal(err)
		}
		res.Rows = counts
		res.LoadSeconds = time.Since(began).Seconds()
		log.Printf("%s: loaded %+v in %.1fs", res.Database, counts, res.LoadSeconds)
	}
	var err error
	res.Version = query.version(ctx)
	if *reuse != "" {
		// Neither VACUUM ANALYZE nor reading every check-in: the payload is
		// the earlier run's, and the table's size is divided by its rows.
		res.CheckInPayload = earlier.CheckInPayload
		var bytes float64
		if err := query.(*pgQuerier).pool.QueryRow(ctx, `SELECT pg_total_relation_size('check_ins')`).Scan(&bytes); err != nil {
			log.Printf("scale: check-in bytes: %v", err)
		}
		res.CheckInBytes = bytes / float64(res.Rows.CheckIns)
	} else {
		if err := query.analyze(ctx); err != nil {
			log.Printf("scale: analyze: %v", err)
		}
		if res.CheckInBytes, res.CheckInPayload, err = query.checkInBytes(ctx); err != nil {
			log.Printf("scale: check-in bytes: %v", err)
		}
	}
	if *estimate {
		done()
		for _, n := range []int{10_000_000} {
			fmt.Printf("%s: %.0f bytes a check-in (payload %.0f); %d check-ins need about %.1f GB\n",
				res.Database, res.CheckInBytes, res.CheckInPayload, n, res.CheckInBytes*float64(n)/1e9)
		}
		return
	}

	rng := rand.New(rand.NewPCG(7, 7))
	res.Timings = append(res.Timings, timeIt("flag queue (ListFlags)", *samples, func() (int, error) {
		list, err := st.ListFlags(ctx, 1+rng.Int64N(int64(cfg.Clinics)))
		return len(list), err
	}))
	res.Timings = append(res.Timings, timeIt("client timeline (ListSessions)", *samples, func() (int, error) {
		client := 1 + rng.Int64N(int64(cfg.Clients))
		list, err := st.ListSessions(ctx, clinicOf(client, cfg), client)
		return len(list), err
	}))
	// The reminders that came due while the population was loaded (or since
	// a kept database was) would have run in a live service: its scheduler
	// finds only what came due since it last looked.
	now := time.Now()
	if err := completeDue(ctx, ld, *kind, now.Add(-scheduleInterval)); err != nil {
		log.Fatalf("scale: settling the reminders already due: %v", err)
	}
	res.Timings = append(res.Timings, timeIt("due reminders (River scheduler)", *samples, func() (int, error) {
		return query.dueJobs(ctx, now)
	}))
	res.Timings = append(res.Timings, timeIt("due follow-ups (follow_ups_due_idx)", *samples, func() (int, error) {
		return query.dueFollowUps(ctx, now)
	}))
	for _, t := range res.Timings {
		log.Printf("%s: %s p50 %v p99 %v max %v (%.1f rows)", res.Database, t.Name, t.P50, t.P99, t.Max, t.Rows)
	}
	client := int64(cfg.Clients / 2)
	res.Plans, err = query.plans(ctx, clinicOf(client, cfg), client, now)
	if err != nil {
		log.Printf("scale: plans: %v", err)
	}
	done()
	b, _ := json.MarshalIndent(res, "", "  ")
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		log.Fatal(err)
	}
}

// completeDue marks the reminder jobs due before t completed, as River's
// workers leave them once they have run.
func completeDue(ctx context.Context, ld loader, kind string, t time.Time) error {
	completed := `UPDATE river_job SET state = 'completed', finalized_at = scheduled_at, attempt = 1
		WHERE kind = 'checkin_reminder' AND state = 'scheduled' AND scheduled_at < ` + map[string]string{"sqlite": "?", "postgres": "$1"}[kind]
	return ld.exec(ctx, completed, ld.time(t))
}

// scheduleInterval is how often River's scheduler looks for due jobs (its
// default): in a running service, the jobs its query finds are those that
// came due since its last look.
const scheduleInterval = 5 * time.Second

func clinicOf(client int64, cfg results.ScaleConfig) int64 { return 1 + (client-1)%int64(cfg.Clinics) }

func timeIt(name string, n int, fn func() (int, error)) results.Timing {
	var lats []int64
	rows := 0
	for range n {
		t0 := time.Now()
		k, err := fn()
		if err != nil {
			log.Fatalf("%s: %v", name, err)
		}
		lats = append(lats, int64(time.Since(t0)))
		rows += k
	}
	slices.Sort(lats)
	return results.Timing{Name: name, Samples: n, P50: time.Duration(lats[n/2]), P99: time.Duration(lats[n*99/100]),
		Max: time.Duration(lats[n-1]), Rows: float64(rows) / float64(n)}
}

// loader writes rows in bulk.
type loader interface {
	// load inserts the rows rows yields into table's columns.
	load(ctx context.Context, table string, cols []string, rows func(yield func([]any) bool)) (int, error)
	// time converts a time to the column form.
	time(t time.Time) any
	// json converts JSON text to the column form.
	json(s []byte) any
	// river is a River client on the database, for inserting jobs.
	insertJobs(ctx context.Context, jobs []river.InsertManyParams) error
	// exec runs a statement.
	exec(ctx context.Context, sql string, args ...any) error
}

// answer is one graded request, as stored.
type answer struct {
	request, assessment []byte
	level               aftercare.Level
	headline, version   string
	hours               float64
}

func answers() ([]answer, error) {
	eng, err := triage.Default()
	if err != nil {
		return nil, err
	}
	at := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	var low, high []answer
	for _, req := range triagetest.Requests(4000, triagetest.Seed) {
		resp, err := eng.Assess(req, at)
		if err != nil {
			return nil, err
		}
		rq, _ := json.Marshal(req)
		rs, _ := json.Marshal(resp)
		a := answer{request: rq, assessment: rs, level: resp.Level, headline: resp.Headline, version: resp.KnowledgeVersion, hours: 24}
		if req.HoursSince != nil {
			a.hours = *req.HoursSince
		}
		if resp.Level >= aftercare.Consult {
			high = append(high, a)
		} else {
			low = append(low, a)
		}
	}
	// 15% flagged, as in cmd/ingest.
	var out []answer
	acc := 0.0
	for i := range 1000 {
		acc += 0.15
		if acc >= 1 {
			acc--
			out = append(out, high[i%len(high)])
		} else {
			out = append(out, low[i%len(low)])
		}
	}
	return out, nil
}

// generate loads the population; ids are 1..n in each table, in order.
func generate(ctx context.Context, cfg results.ScaleConfig, ld loader, kind string) (results.ScaleCounts, error) {
	var c results.ScaleCounts
	ans, err := answers()
	if err != nil {
		return c, err
	}
	now := time.Now().UTC().Truncate(time.Second)
	yearAgo := now.Add(-365 * 24 * time.Hour)
	sessions := max(1, cfg.CheckIns/3)
	sessionEnd := func(s int) time.Time { // s is 1-based
		return yearAgo.Add(time.Duration(float64(s) / float64(sessions) * float64(365*24*time.Hour))).Truncate(time.Microsecond)
	}

	n, err := ld.load(ctx, "clinics", []string{"name", "emergency_number", "follow_up_hours", "created_at"}, func(yield func([]any) bool) {
		for i := 1; i <= cfg.Clinics; i++ {
			if !yield([]any{fmt.Sprintf("Clinic %d", i), "999", ld.json([]byte("[24,48,72]")), ld.time(yearAgo)}) {
				return
			}
		}
	})
	if c.Clinics = n; err != nil {
		return c, err
	}
	n, err = ld.load(ctx, "clients", []string{"clinic_id", "name", "email", "created_at"}, func(yield func([]any) bool) {
		for i := 1; i <= cfg.Clients; i++ {
			if !yield([]any{int64(1 + (i-1)%cfg.Clinics), fmt.Sprintf("Client %d", i), fmt.Sprintf("client%d@example.com", i), ld.time(yearAgo)}) {
				return
			}
		}
	})
	if c.Clients = n; err != nil {
		return c, err
	}
	clientOf := func(s int) int64 { return int64(1 + (s-1)%cfg.Clients) }
	clinic := func(client int64) int64 { return 1 + (client-1)%int64(cfg.Clinics) }
	n, err = ld.load(ctx, "sessions", []string{"clinic_id", "client_id", "style", "pressure", "areas_worked", "area_pressure", "ended_at", "notes", "created_at"},
		func(yield func([]any) bool) {
			for s := 1; s <= sessions; s++ {
				cl := clientOf(s)
				if !yield([]any{clinic(cl), cl, "deep_tissue", "firm", ld.json([]byte(`["neck","lower_back"]`)), ld.json([]byte(`{}`)),
					ld.time(sessionEnd(s)), "", ld.time(sessionEnd(s))}) {
					return
				}
			}
		})
	if c.Sessions = n; err != nil {
		return c, err
	}
	n, err = ld.load(ctx, "session_links", []string{"clinic_id", "session_id", "hash", "expires_at", "created_at"},
		func(yield func([]any) bool) {
			for s := 1; s <= sessions; s++ {
				h := sha256.Sum256([]byte(fmt.Sprintf("link %d", s)))
				if !yield([]any{clinic(clientOf(s)), int64(s), h[:], ld.time(sessionEnd(s).Add(14 * 24 * time.Hour)), ld.time(sessionEnd(s))}) {
					return
				}
			}
		})
	if err != nil {
		return c, err
	}
	var jobs []river.InsertManyParams
	var finished []int64 // sessions*4+hours/24 of reminders already past, whose jobs are completed
	n, err = ld.load(ctx, "follow_ups", []string{"clinic_id", "session_id", "hours", "due_at", "status", "sent_at"},
		func(yield func([]any) bool) {
			for s := 1; s <= sessions; s++ {
				for _, h := range []int{24, 48, 72} {
					due := sessionEnd(s).Add(time.Duration(h) * time.Hour)
					status, sent := "scheduled", any(nil)
					if due.Before(now) {
						status, sent = "sent", ld.time(due)
						if s%3 == 0 {
							status = "skipped"
						}
					}
					if due.After(now.Add(-24 * time.Hour)) {
						jobs = append(jobs, river.InsertManyParams{
							Args:       followup.ReminderArgs{ClinicID: clinic(clientOf(s)), SessionID: int64(s), Hours: h},
							InsertOpts: &river.InsertOpts{ScheduledAt: due, UniqueOpts: river.UniqueOpts{ByArgs: true}},
						})
						if due.Before(now) {
							finished = append(finished, int64(s))
						}
					}
					if !yield([]any{clinic(clientOf(s)), int64(s), h, ld.time(due), status, sent}) {
						return
					}
				}
			}
		})
	if c.FollowUps = n; err != nil {
		return c, err
	}
	for i := 0; i < len(jobs); i += 5000 {
		if err := ld.insertJobs(ctx, jobs[i:min(i+5000, len(jobs))]); err != nil {
			return c, fmt.Errorf("river jobs: %w", err)
		}
	}
	c.Jobs = len(jobs)
	// The reminders already due have run: River marked them completed.
	if err := completeDue(ctx, ld, kind, now); err != nil {
		return c, err
	}

	var flagged []int64
	var flagAt []time.Time
	var flagAns []int
	n, err = ld.load(ctx, "check_ins", []string{"clinic_id", "session_id", "hours_since", "request", "assessment", "level", "knowledge_version", "created_at"},
		func(yield func([]any) bool) {
			for i := 1; i <= cfg.CheckIns; i++ {
				s := 1 + (i-1)%sessions
				a := ans[(i-1)%len(ans)]
				hours := float64(24 * (1 + (i-1)/sessions%3))
				at := sessionEnd(s).Add(time.Duration(hours * float64(time.Hour)))
				if a.level >= aftercare.Consult {
					flagged = append(flagged, int64(i))
					flagAt = append(flagAt, at)
					flagAns = append(flagAns, (i-1)%len(ans))
				}
				if !yield([]any{clinic(clientOf(s)), int64(s), hours, ld.json(a.request), ld.json(a.assessment), a.level.String(), a.version, ld.time(at)}) {
					return
				}
			}
		})
	if c.CheckIns = n; err != nil {
		return c, err
	}
	n, err = ld.load(ctx, "flags", []string{"clinic_id", "check_in_id", "level", "headline", "created_at", "acked_at", "acked_by"},
		func(yield func([]any) bool) {
			for k, id := range flagged {
				s := 1 + (int(id)-1)%sessions
				a := ans[flagAns[k]]
				acked, by := any(nil), ""
				if flagAt[k].Before(now.Add(-72 * time.Hour)) {
					acked, by = ld.time(flagAt[k].Add(2*time.Hour)), "owner@example.com"
				}
				if !yield([]any{clinic(clientOf(s)), id, a.level.String(), a.headline, ld.time(flagAt[k]), acked, by}) {
					return
				}
			}
		})
	c.Flags = n
	return c, err
}

// sqliteLoader loads SQLite with prepared statements in large transactions
// (synchronous=OFF while loading: it is a generator; the store's own
// settings apply to what is measured).
type sqliteLoader struct{ db *sql.DB }

func (l *sqliteLoader) time(t time.Time) any { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }
func (l *sqliteLoader) json(s []byte) any    { return string(s) }

func (l *sqliteLoader) exec(ctx context.Context, q string, args ...any) error {
	_, err := l.db.ExecContext(ctx, q, args...)
	return err
}

func (l *sqliteLoader) load(ctx context.Context, table string, cols []string, rows func(yield func([]any) bool)) (int, error) {
	if _, err := l.db.ExecContext(ctx, `PRAGMA synchronous = OFF`); err != nil {
		return 0, err
	}
	defer l.db.ExecContext(ctx, `PRAGMA synchronous = FULL`)
	q := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", table, strings.Join(cols, ", "),
		strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", "))
	n := 0
	var tx *sql.Tx
	var stmt *sql.Stmt
	var err error
	begin := func() error {
		if tx, err = l.db.BeginTx(ctx, nil); err != nil {
			return err
		}
		stmt, err = tx.PrepareContext(ctx, q)
		return err
	}
	if err := begin(); err != nil {
		return 0, err
	}
	for row := range rows {
		if _, err = stmt.ExecContext(ctx, row...); err != nil {
			break
		}
		if n++; n%50_000 == 0 {
			stmt.Close()
			if err = tx.Commit(); err != nil {
				break
			}
			if err = begin(); err != nil {
				break
			}
		}
	}
	if err != nil {
		tx.Rollback()
		return n, fmt.Errorf("%s: %w", table, err)
	}
	stmt.Close()
	return n, tx.Commit()
}

func (l *sqliteLoader) insertJobs(ctx context.Context, jobs []river.InsertManyParams) error {
	client, err := river.NewClient(riversqlite.New(l.db), &river.Config{})
	if err != nil {
		return err
	}
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := client.InsertManyFastTx(ctx, tx, jobs); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// pgLoader loads PostgreSQL with COPY.
type pgLoader struct{ pool *pgxpool.Pool }

func (l *pgLoader) time(t time.Time) any { return t.UTC() }
func (l *pgLoader) json(s []byte) any    { return string(s) }

func (l *pgLoader) exec(ctx context.Context, q string, args ...any) error {
	_, err := l.pool.Exec(ctx, q, args...)
	return err
}

func (l *pgLoader) load(ctx context.Context, table string, cols []string, rows func(yield func([]any) bool)) (int, error) {
	next, stop := iterPull(rows)
	defer stop()
	n, err := l.pool.CopyFrom(ctx, pgx.Identifier{table}, cols, &copySource{next: next})
	if err != nil {
		return int(n), fmt.Errorf("%s: %w", table, err)
	}
	return int(n), nil
}

func (l *pgLoader) insertJobs(ctx context.Context, jobs []river.InsertManyParams) error {
	client, err := river.NewClient(riverpgxv5.New(l.pool), &river.Config{})
	if err != nil {
		return err
	}
	_, err = client.InsertManyFast(ctx, jobs)
	return err
}

// copySource adapts a pull iterator to pgx.CopyFromSource.
type copySource struct {
	next func() ([]any, bool)
	row  []any
}

// Next moves to the next row.
func (c *copySource) Next() bool {
	var ok bool
	c.row, ok = c.next()
	return ok
}

// Values returns the current row.
func (c *copySource) Values() ([]any, error) { return c.row, nil }

// Err is always nil: the rows are generated.
func (c *copySource) Err() error { return nil }

// querier runs the queries that are not the store's own, the plans and the sizes.
type querier interface {
	version(ctx context.Context) string
	analyze(ctx context.Context) error
	dueJobs(ctx context.Context, now time.Time) (int, error)
	dueFollowUps(ctx context.Context, now time.Time) (int, error)
	checkInBytes(ctx context.Context) (perRow, payload float64, err error)
	plans(ctx context.Context, clinic, client int64, now time.Time) ([]results.Plan, error)
}

// The statements River and the follow-up sweep run, for their timings and
// plans (River's drivers' river_job.sql); the store's own come from its
// HotReads.
const (
	sqliteDueJobs = `SELECT id, unique_key
FROM river_job
WHERE
    state IN ('retryable', 'scheduled')
    AND scheduled_at <= coalesce(cast(? AS text), datetime('now', 'subsec'))
ORDER BY
    priority,
    scheduled_at,
    id
LIMIT ?`
	sqliteDueFollowUps = `SELECT clinic_id, session_id, hours, due_at FROM follow_ups
		WHERE status = 'scheduled' AND due_at <= ? ORDER BY due_at LIMIT 1000`

	pgDueJobs = `SELECT
        id,
        unique_key,
        unique_states,
        priority,
        scheduled_at
    FROM river_job
    WHERE
        state IN ('retryable', 'scheduled')
        AND priority >= 0
        AND queue IS NOT NULL
        AND scheduled_at <= coalesce($1::timestamptz, now())
    ORDER BY
        priority,
        scheduled_at,
        id
    LIMIT $2::bigint`
	pgDueFollowUps = `SELECT clinic_id, session_id, hours, due_at FROM follow_ups
		WHERE status = 'scheduled' AND due_at <= $1 ORDER BY due_at LIMIT 1000`
)

// scheduleLimit is how many due jobs River's scheduler takes at once.
const scheduleLimit = 10_000

type sqliteQuerier struct{ db *sql.DB }

func (q *sqliteQuerier) version(ctx context.Context) string {
	var v string
	_ = q.db.QueryRowContext(ctx, `SELECT sqlite_version()`).Scan(&v)
	return v
}

func (q *sqliteQuerier) analyze(ctx context.Context) error {
	_, err := q.db.ExecContext(ctx, `ANALYZE`)
	return err
}

// rowCursor is what countRows needs of database/sql's and pgx's rows alike;
// both close themselves once Next has returned false.
type rowCursor interface {
	Next() bool
	Err() error
}

// countRows reads every row of a query and returns how many there were.
func countRows[R rowCursor](rows R, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

func (q *sqliteQuerier) dueJobs(ctx context.Context, now time.Time) (int, error) {
	return countRows(q.db.QueryContext(ctx, sqliteDueJobs, now.UTC().Format("2006-01-02 15:04:05.000"), scheduleLimit))
}

func (q *sqliteQuerier) dueFollowUps(ctx context.Context, now time.Time) (int, error) {
	return countRows(q.db.QueryContext(ctx, sqliteDueFollowUps, now.UTC().Format("2006-01-02T15:04:05.000000Z")))
}

func (q *sqliteQuerier) checkInBytes(ctx context.Context) (float64, float64, error) {
	var rows, payload float64
	if err := q.db.QueryRowContext(ctx, `SELECT count(*), coalesce(avg(length(request) + length(assessment)), 0) FROM check_ins`).Scan(&rows, &payload); err != nil {
		return 0, 0, err
	}
	var bytes sql.NullFloat64
	err := q.db.QueryRowContext(ctx, `SELECT sum(pgsize) FROM dbstat WHERE name = 'check_ins' OR name IN
		(SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'check_ins')`).Scan(&bytes)
	if err != nil || !bytes.Valid || rows == 0 {
		return 0, payload, errors.Join(errors.New("dbstat is not available"), err)
	}
	return bytes.Float64 / rows, payload, nil
}

func (q *sqliteQuerier) plans(ctx context.Context, clinic, client int64, now time.Time) ([]results.Plan, error) {
	ts := now.UTC().Format("2006-01-02T15:04:05.000000Z")
	var out []results.Plan
	for _, p := range append(sqlite.HotReads(clinic, client),
		aftercare.Statement{Name: "due reminders (River)", SQL: sqliteDueJobs, Args: []any{now.UTC().Format("2006-01-02 15:04:05.000"), scheduleLimit}},
		aftercare.Statement{Name: "due follow-ups", SQL: sqliteDueFollowUps, Args: []any{ts}},
	) {
		rows, err := q.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+p.SQL, p.Args...)
		if err != nil {
			return out, err
		}
		var lines []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				rows.Close()
				return out, err
			}
			lines = append(lines, detail)
		}
		rows.Close()
		out = append(out, results.Plan{Query: p.Name, SQL: p.SQL, Plan: strings.Join(lines, "\n")})
	}
	return out, nil
}

type pgQuerier struct{ pool *pgxpool.Pool }

func (q *pgQuerier) version(ctx context.Context) string {
	var v string
	_ = q.pool.QueryRow(ctx, `SHOW server_version`).Scan(&v)
	return v
}

func (q *pgQuerier) analyze(ctx context.Context) error {
	_, err := q.pool.Exec(ctx, `VACUUM ANALYZE`)
	return err
}

func (q *pgQuerier) dueJobs(ctx context.Context, now time.Time) (int, error) {
	return countRows(q.pool.Query(ctx, pgDueJobs, now, scheduleLimit))
}

func (q *pgQuerier) dueFollowUps(ctx context.Context, now time.Time) (int, error) {
	return countRows(q.pool.Query(ctx, pgDueFollowUps, now))
}

func (q *pgQuerier) checkInBytes(ctx context.Context) (float64, float64, error) {
	var rows, payload, bytes float64
	err := q.pool.QueryRow(ctx, `SELECT count(*), coalesce(avg(octet_length(request::text) + octet_length(assessment::text)), 0),
		pg_total_relation_size('check_ins') FROM check_ins`).Scan(&rows, &payload, &bytes)
	if err != nil || rows == 0 {
		return 0, 0, err
	}
	return bytes / rows, payload, nil
}

func (q *pgQuerier) plans(ctx context.Context, clinic, client int64, now time.Time) ([]results.Plan, error) {
	var out []results.Plan
	for _, p := range append(postgres.HotReads(clinic, client),
		aftercare.Statement{Name: "due reminders (River)", SQL: pgDueJobs, Args: []any{now, scheduleLimit}},
		aftercare.Statement{Name: "due follow-ups", SQL: pgDueFollowUps, Args: []any{now}},
	) {
		rows, err := q.pool.Query(ctx, "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "+p.SQL, p.Args...)
		if err != nil {
			return out, err
		}
		var lines []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				rows.Close()
				return out, err
			}
			lines = append(lines, line)
		}
		rows.Close()
		out = append(out, results.Plan{Query: p.Name, SQL: p.SQL, Plan: strings.Join(lines, "\n")})
	}
	return out, nil
}

// iterPull turns a push iterator of rows into a pull function.
func iterPull(rows func(yield func([]any) bool)) (next func() ([]any, bool), stop func()) {
	ch := make(chan []any, 1024)
	quit := make(chan struct{})
	go func() {
		defer close(ch)
		rows(func(r []any) bool {
			select {
			case ch <- r:
				return true
			case <-quit:
				return false
			}
		})
	}()
	return func() ([]any, bool) {
			r, ok := <-ch
			return r, ok
		}, func() {
			close(quit)
			for range ch {
			}
		}
}
