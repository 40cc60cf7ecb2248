package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"
)

// ledger records every check-in the load sent, by Idempotency-Key, and what
// the server acknowledged: the truth the database is held to afterwards.
type ledger struct {
	mu       sync.Mutex
	sent     map[string]attempt
	acked    map[string]ack
	sessions []int64
	// replays counts answers marked Idempotent-Replayed.
	replays int
	// statuses counts the answers by HTTP status.
	statuses map[int]int
	// unexpected lists answers no fault explains (a 4xx, a 500).
	unexpected []string
	// slow counts 503 answers that took longer than failFast.
	slow int
}

// failFast is how soon a request must fail when the database is down.
const failFast = 3 * time.Second

type attempt struct {
	session int64
	body    int
}

type ack struct {
	id      int64
	session int64
	level   string
}

func newLedger(sessions []int64) *ledger {
	return &ledger{sent: map[string]attempt{}, acked: map[string]ack{}, sessions: sessions, statuses: map[int]int{}}
}

func (l *ledger) pickSession() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sessions[rand.IntN(len(l.sessions))]
}

func (l *ledger) addSession(id int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sessions = append(l.sessions, id)
}

// pending returns the keys sent but not acknowledged.
func (l *ledger) pending() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for k := range l.sent {
		if _, ok := l.acked[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// someAcked returns up to n acknowledged keys.
func (l *ledger) someAcked(n int) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for k := range l.acked {
		if len(out) == n {
			break
		}
		out = append(out, k)
	}
	return out
}

// checkInAnswer is what the API answers to a check-in, as far as the ledger reads it.
type checkInAnswer struct {
	ID         int64 `json:"id"`
	SessionID  int64 `json:"session_id"`
	Assessment struct {
		Level            string `json:"level"`
		KnowledgeVersion string `json:"knowledge_version"`
	} `json:"assessment"`
}

// send posts the check-in recorded under key (a new one is recorded first
// when session is not 0) and notes the answer; it reports whether the
// server acknowledged it.
func (l *ledger) send(ctx context.Context, a *api, key string, session int64, body int) bool {
	ok, _ := l.sendStatus(ctx, a, key, session, body)
	return ok
}

// sendStatus is send, also returning the answer's status (0 for none).
func (l *ledger) sendStatus(ctx context.Context, a *api, key string, session int64, body int) (bool, int) {
	l.mu.Lock()
	if session != 0 {
		l.sent[key] = attempt{session: session, body: body}
	}
	at := l.sent[key]
	l.mu.Unlock()
	start := time.Now()
	resp, err := a.do(ctx, "POST", fmt.Sprintf("/api/v1/sessions/%d/check-ins", at.session), checkInBodies[at.body],
		"Idempotency-Key", key)
	took := time.Since(start)
	if err != nil {
		return false, 0 // no answer: the server died, or the request was abandoned
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.statuses[resp.status]++
	switch {
	case resp.status == http.StatusCreated:
		var c checkInAnswer
		if err := json.Unmarshal(resp.body, &c); err != nil || c.ID == 0 {
			l.unexpected = append(l.unexpected, fmt.Sprintf("201 without a check-in: %s", clipBody(resp.body)))
			return false, resp.status
		}
		if prev, ok := l.acked[key]; ok && prev.id != c.ID {
			l.unexpected = append(l.unexpected, fmt.Sprintf("key %s acknowledged as check-in %d, then as %d", key, prev.id, c.ID))
		}
		if resp.header.Get("Idempotent-Replayed") == "true" {
			l.replays++
		}
		l.acked[key] = ack{id: c.ID, session: at.session, level: c.Assessment.Level}
		return true, resp.status
	case resp.status == http.StatusServiceUnavailable:
		if took > failFast {
			l.slow++
		}
	default:
		l.unexpected = append(l.unexpected, fmt.Sprintf("%d: %s", resp.status, clipBody(resp.body)))
	}
	return false, resp.status
}

func clipBody(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}

// load runs workers that post check-ins under fresh keys (and, one time in
// ten, the same key twice at once, as a client retrying after a timeout),
// plus one worker creating sessions, until ctx ends.
func (l *ledger) load(ctx context.Context, a *api, workers int, pause time.Duration) *sync.WaitGroup {
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				key, session, body := newKey(), l.pickSession(), rand.IntN(len(checkInBodies))
				if rand.IntN(10) == 0 {
					var twin sync.WaitGroup
					twin.Go(func() { l.send(ctx, a, key, session, body) })
					l.send(ctx, a, key, session, body)
					twin.Wait()
				} else {
					l.send(ctx, a, key, session, body)
				}
				if pause > 0 {
					sleepCtx(ctx, pause)
				}
			}
		})
	}
	wg.Go(func() {
		for ctx.Err() == nil {
			if id, ok := l.newSession(ctx, a); ok {
				l.addSession(id)
			}
			sleepCtx(ctx, 50*time.Millisecond+pause*5)
		}
	})
	return &wg
}

// newSession creates a client and a session through the API during the load.
func (l *ledger) newSession(ctx context.Context, a *api) (int64, bool) {
	resp, err := a.do(ctx, "POST", "/api/v1/clients", map[string]any{"name": "Load Client"})
	if err != nil || resp.status != http.StatusCreated {
		l.note(resp, err)
		return 0, false
	}
	var c idOf
	if json.Unmarshal(resp.body, &c) != nil {
		return 0, false
	}
	resp, err = a.do(ctx, "POST", "/api/v1/sessions", sessionBody(c.ID, time.Hour))
	if err != nil || resp.status != http.StatusCreated {
		l.note(resp, err)
		return 0, false
	}
	var s idOf
	if json.Unmarshal(resp.body, &s) != nil {
		return 0, false
	}
	return s.ID, true
}

// note records an answer to a request that is not a check-in.
func (l *ledger) note(resp *response, err error) {
	if err != nil || resp == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.statuses[resp.status]++
	if resp.status != http.StatusServiceUnavailable && resp.status >= 400 {
		l.unexpected = append(l.unexpected, fmt.Sprintf("%d: %s", resp.status, clipBody(resp.body)))
	}
}

// retryPending sends every unacknowledged key again, with its own body and
// session, until all are acknowledged or the time is up.
func (l *ledger) retryPending(t *testing.T, a *api, within time.Duration) int {
	t.Helper()
	deadline := time.Now().Add(within)
	retried := 0
	for {
		keys := l.pending()
		if len(keys) == 0 {
			return retried
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d check-ins still not acknowledged after retrying for %v", len(keys), within)
		}
		// Eight clients at once, as many as the load had.
		var wg sync.WaitGroup
		next := make(chan string)
		for range 8 {
			wg.Go(func() {
				for k := range next {
					l.send(context.Background(), a, k, 0, 0)
				}
			})
		}
		for _, k := range keys {
			retried++
			next <- k
		}
		close(next)
		wg.Wait()
		if len(l.pending()) > 0 {
			time.Sleep(200 * time.Millisecond)
		}
	}
}

// checkReplays sends acknowledged keys again: each must be answered as a
// replay of the same check-in.
func (l *ledger) checkReplays(t *testing.T, a *api, n int) {
	t.Helper()
	for _, k := range l.someAcked(n) {
		l.mu.Lock()
		at, want := l.sent[k], l.acked[k]
		l.mu.Unlock()
		resp, err := a.do(context.Background(), "POST", fmt.Sprintf("/api/v1/sessions/%d/check-ins", at.session),
			checkInBodies[at.body], "Idempotency-Key", k)
		if err != nil {
			t.Fatalf("replay of %s: %v", k, err)
		}
		var c checkInAnswer
		_ = json.Unmarshal(resp.body, &c)
		if resp.status != http.StatusCreated || c.ID != want.id || resp.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("replay of key %s: status %d, check-in %d, Idempotent-Replayed %q; want 201, check-in %d, true",
				k, resp.status, c.ID, resp.header.Get("Idempotent-Replayed"), want.id)
		}
	}
}

// tally is what the database was found to hold against the ledger.
type tally struct {
	acknowledged, found, duplicates, lost, strays int
	flagged, flagsMissing                         int
	sessions, jobsLost, jobsDuplicated            int
}

func (t tally) String() string {
	return fmt.Sprintf("acknowledged=%d found=%d duplicates=%d lost=%d flagged=%d flags_missing=%d sessions=%d jobs_lost=%d jobs_duplicated=%d",
		t.acknowledged, t.found, t.duplicates, t.lost, t.flagged, t.flagsMissing, t.sessions, t.jobsLost, t.jobsDuplicated)
}

// consultOrAbove are the levels that raise a flag.
var consultOrAbove = map[string]bool{"consult": true, "urgent": true, "emergency": true}

// audit reads the store's database back (the server stopped or not) and
// holds it to the ledger: every acknowledged check-in stored exactly once
// under its key, nothing stored that was never sent, a flag and one notice
// job for each check-in at consult or above, and for every session the
// clinic's follow-ups each with exactly one reminder job.
func audit(t *testing.T, st *store, l *ledger, hours []int) tally {
	t.Helper()
	db := st.open(t)
	ctx := context.Background()
	var tl tally

	type row struct {
		id    int64
		level string
	}
	type sessionKey struct {
		session int64
		key     string
	}
	byKey := map[sessionKey][]row{}
	levelOf := map[int64]string{}
	rows, err := db.QueryContext(ctx, `SELECT id, session_id, idempotency_key, level FROM check_ins`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, session int64
		var key, level string
		if err := rows.Scan(&id, &session, &key, &level); err != nil {
			t.Fatal(err)
		}
		k := sessionKey{session, key}
		byKey[k] = append(byKey[k], row{id, level})
		levelOf[id] = level
	}
	rows.Close()

	l.mu.Lock()
	defer l.mu.Unlock()
	tl.acknowledged = len(l.acked)
	for key, a := range l.acked {
		got := byKey[sessionKey{a.session, key}]
		switch {
		case len(got) == 0:
			tl.lost++
			t.Errorf("acknowledged check-in %d (key %s) is not stored", a.id, key)
		case got[0].id != a.id:
			tl.lost++
			t.Errorf("key %s was acknowledged as check-in %d but is stored as %d", key, a.id, got[0].id)
		default:
			tl.found++
		}
	}
	for k, got := range byKey {
		tl.duplicates += len(got) - 1
		if at, ok := l.sent[k.key]; !ok || at.session != k.session {
			tl.strays += len(got)
			t.Errorf("check-in %d under key %q of session %d was never sent", got[0].id, k.key, k.session)
		}
	}
	if tl.duplicates > 0 {
		t.Errorf("%d check-ins are stored more than once", tl.duplicates)
	}

	flagsOf := map[int64][]int64{} // check-in → flags
	rows, err = db.QueryContext(ctx, `SELECT id, check_in_id FROM flags`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, checkIn int64
		if err := rows.Scan(&id, &checkIn); err != nil {
			t.Fatal(err)
		}
		flagsOf[checkIn] = append(flagsOf[checkIn], id)
	}
	rows.Close()
	for id, level := range levelOf {
		n := len(flagsOf[id])
		switch {
		case consultOrAbove[level] && n != 1:
			tl.flagsMissing++
			t.Errorf("check-in %d at %s has %d flags, want 1", id, level, n)
		case !consultOrAbove[level] && n != 0:
			t.Errorf("check-in %d at %s has %d flags, want none", id, level, n)
		case n == 1:
			tl.flagged++
		}
	}

	reminders := map[string]int{} // "session/hours" → jobs
	notices := map[int64]int{}    // flag → jobs
	rows, err = db.QueryContext(ctx, st.jobArgsSQL())
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var kind, args, state string
		if err := rows.Scan(&kind, &args, &state); err != nil {
			t.Fatal(err)
		}
		var a struct {
			SessionID int64 `json:"session_id"`
			Hours     int   `json:"hours"`
			FlagID    int64 `json:"flag_id"`
		}
		if err := json.Unmarshal([]byte(args), &a); err != nil {
			t.Fatalf("job args %q: %v", args, err)
		}
		switch kind {
		case "checkin_reminder":
			reminders[fmt.Sprintf("%d/%d", a.SessionID, a.Hours)]++
		case "flag_notice":
			notices[a.FlagID]++
		}
	}
	rows.Close()
	for _, fs := range flagsOf {
		for _, f := range fs {
			switch n := notices[f]; {
			case n == 0:
				tl.jobsLost++
				t.Errorf("flag %d has no notice job", f)
			case n > 1:
				tl.jobsDuplicated += n - 1
				t.Errorf("flag %d has %d notice jobs", f, n)
			}
		}
	}

	followUps := map[int64][]int{}
	rows, err = db.QueryContext(ctx, `SELECT s.id, f.hours FROM sessions s LEFT JOIN follow_ups f ON f.session_id = s.id ORDER BY s.id, f.hours`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var h *int
		if err := rows.Scan(&id, &h); err != nil {
			t.Fatal(err)
		}
		if h == nil {
			followUps[id] = followUps[id][:0]
		} else {
			followUps[id] = append(followUps[id], *h)
		}
	}
	rows.Close()
	tl.sessions = len(followUps)
	for id, hs := range followUps {
		if fmt.Sprint(hs) != fmt.Sprint(hours) {
			t.Errorf("session %d has follow-ups at %v h, want %v", id, hs, hours)
		}
		for _, h := range hours {
			switch n := reminders[fmt.Sprintf("%d/%d", id, h)]; {
			case n == 0:
				tl.jobsLost++
				t.Errorf("session %d has no reminder job at %d h", id, h)
			case n > 1:
				tl.jobsDuplicated += n - 1
				t.Errorf("session %d has %d reminder jobs at %d h", id, n, h)
			}
		}
	}
	return tl
}

// sleepCtx sleeps for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
