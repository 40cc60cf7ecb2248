// Package storetest is the test suite every aftercare.Store implementation
// passes: packages sqlite and postgres run it from their own tests.
package storetest

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"aftercare"
	"aftercare/followup"
)

// JobLister is what a store offers for tests to see the River jobs it queued.
type JobLister interface {
	Jobs(ctx context.Context, kind string) ([]*rivertype.JobRow, error)
}

// Worker is what a store offers to run River workers on its database.
type Worker interface {
	Work(ctx context.Context, workers *river.Workers, logger *slog.Logger) (stop func(context.Context) error, err error)
}

// RawSQL reaches a store's database past its methods, so that the suite can
// check what the database itself holds or refuses. Queries name ids as
// literals and take no parameters, so one text runs on every database.
type RawSQL struct {
	// Exec runs one statement.
	Exec func(ctx context.Context, s aftercare.Store, query string) error
	// Int runs a query whose first row's first column is an integer (such as
	// SELECT count(*) …) and returns that integer.
	Int func(ctx context.Context, s aftercare.Store, query string) (int64, error)
}

// Option changes how Run runs the suite.
type Option func(*config)

type config struct {
	raw *RawSQL
}

// WithRawSQL gives the suite direct access to the store's database; the tests
// that need it are skipped without it.
func WithRawSQL(raw RawSQL) Option {
	return func(c *config) { c.raw = &raw }
}

// Run runs the suite; open returns a new, empty store for each subtest and
// arranges for it to be closed when the subtest ends. Subtests run in parallel.
func Run(t *testing.T, open func(t *testing.T) aftercare.Store, opts ...Option) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	groups := []struct {
		name  string
		tests []test
	}{
		{"clinics", clinicTests},
		{"users", userTests},
		{"staff", staffTests},
		{"tokens", tokenTests},
		{"token scopes", tokenScopeTests},
		{"clients", clientTests},
		{"sessions", sessionTests},
		{"links", linkTests},
		{"follow-ups", followUpTests},
		{"check-ins", checkInTests},
		{"isolation", isolationTests},
		{"refused writes", refusedTests},
		{"concurrency", concurrencyTests},
		{"workers", workerTests},
		{"staff sessions", staffSessionTests},
		{"login failures", loginFailureTests},
		{"disabled users and expiring tokens", disableTests},
		{"audit", auditTests},
		{"erasure", erasureTests},
		{"idempotent check-ins", idempotencyTests},
		{"client flags", clientFlagTests},
		{"phones, outcomes and deliveries", outcomeTests},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			for _, tc := range g.tests {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					if tc.runRaw != nil && cfg.raw == nil {
						t.Skip("needs direct access to the database (storetest.WithRawSQL)")
					}
					s := open(t)
					if tc.runRaw != nil {
						tc.runRaw(t, s, &raw{s: s, sql: cfg.raw})
						return
					}
					tc.run(t, s)
				})
			}
		})
	}
}

// test is one case of the suite: run, or runRaw for a case that needs direct
// access to the database (skipped when the store's package gives none).
type test struct {
	name   string
	run    func(t *testing.T, s aftercare.Store)
	runRaw func(t *testing.T, s aftercare.Store, db *raw)
}

// raw is the direct access to one store's database.
type raw struct {
	s   aftercare.Store
	sql *RawSQL
}

// exec runs one statement and returns its error.
func (r *raw) exec(t testing.TB, format string, args ...any) error {
	t.Helper()
	return r.sql.Exec(context.Background(), r.s, fmt.Sprintf(format, args...))
}

// int runs a query returning one integer, failing the test on an error.
func (r *raw) int(t testing.TB, format string, args ...any) int64 {
	t.Helper()
	n, err := r.sql.Int(context.Background(), r.s, fmt.Sprintf(format, args...))
	must(t, err)
	return n
}

// base is a whole second, so every store keeps it exactly.
var base = time.Now().UTC().Truncate(time.Second)

// world is one clinic with a user, a token, a client and a session with two
// follow-ups, built through the store.
type world struct {
	clinic   *aftercare.Clinic
	user     *aftercare.User
	token    *aftercare.APIToken
	client   *aftercare.Client
	session  *aftercare.Session
	linkHash []byte
}

func build(t testing.TB, s aftercare.Store, name string) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{}
	w.clinic = &aftercare.Clinic{Name: name, EmergencyNumber: "999", FollowUpHours: []int{24, 48}}
	must(t, s.CreateClinic(ctx, w.clinic))
	w.user = &aftercare.User{ClinicID: w.clinic.ID, Email: fmt.Sprintf("owner-%d@%s.example", w.clinic.ID, name),
		Role: aftercare.RoleOwner, PasswordHash: "$argon2id$test"}
	must(t, s.CreateUser(ctx, w.user))
	_, hash := aftercare.NewSecret("act_")
	w.token = &aftercare.APIToken{ClinicID: w.clinic.ID, Name: "front desk", Hash: hash}
	must(t, s.CreateToken(ctx, w.token))
	w.client = &aftercare.Client{ClinicID: w.clinic.ID, Name: "Ada Client", Email: "ada@example.com"}
	must(t, s.CreateClient(ctx, w.client))
	w.session, w.linkHash = newSession(t, s, w.clinic.ID, w.client.ID, base)
	return w
}

// newSession stores a session that ended at ended, with follow-ups at 24 and 48 hours.
func newSession(t testing.TB, s aftercare.Store, clinicID, clientID int64, ended time.Time) (*aftercare.Session, []byte) {
	t.Helper()
	_, hash := aftercare.NewSecret("link_")
	se := &aftercare.Session{
		ClinicID: clinicID, ClientID: clientID, Style: "deep_tissue", Pressure: "firm",
		AreasWorked:   []string{"neck", "upper_back"},
		AreaPressure:  map[string]string{"neck": "medium"},
		EndedAt:       ended,
		Notes:         "tight trapezius",
		LinkExpiresAt: ended.Add(7 * 24 * time.Hour),
		FollowUps: []aftercare.FollowUp{
			{Hours: 48, DueAt: ended.Add(48 * time.Hour), Status: "scheduled"},
			{Hours: 24, DueAt: ended.Add(24 * time.Hour), Status: "scheduled"},
		},
	}
	must(t, s.CreateSession(context.Background(), se, hash))
	return se, hash
}

func checkIn(clinicID, sessionID int64, level aftercare.Level) *aftercare.CheckIn {
	h := 26.5
	return &aftercare.CheckIn{
		ClinicID: clinicID, SessionID: sessionID, HoursSince: h,
		Request: aftercare.Request{
			Style: "deep_tissue", HoursSince: &h,
			Soreness: []aftercare.Soreness{{Area: "neck", Pain: 6}},
			Symptoms: []string{"bruising"},
			Text:     "my neck is sore and there is a bruise",
		},
		Assessment: aftercare.Response{
			Level:            level,
			Headline:         "Headline at " + level.String(),
			Reasons:          []aftercare.Reason{{Rule: "test.rule", Level: level, Text: "because", Source: "seed"}},
			Recovery:         aftercare.Recovery{TypicalHours: [2]int{24, 72}, CheckAgainInHours: 24, HoursSince: &h},
			Plan:             []aftercare.PlanItem{{ID: "heat", Title: "Warmth", Why: "eases tight muscle"}},
			WatchFor:         []string{"numbness"},
			Findings:         []aftercare.Finding{{Type: "area", Code: "neck", Text: "neck", Start: 3, End: 7}},
			KnowledgeVersion: "test-1", Disclaimer: "Not a diagnosis.",
		},
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantCode fails unless err is an application error with the given code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := aftercare.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// wantField fails unless err names the given request field.
func wantField(t testing.TB, err error, field string) {
	t.Helper()
	if got := aftercare.ErrorField(err); got != field {
		t.Fatalf("error field = %q (%v), want %q", got, err, field)
	}
}

// same fails unless got and want encode to the same JSON (fields shown to
// clients, times compared as RFC 3339 text).
func same(t testing.TB, what string, got, want any) {
	t.Helper()
	g, err := json.Marshal(got)
	must(t, err)
	w, err := json.Marshal(want)
	must(t, err)
	if !bytes.Equal(g, w) {
		t.Fatalf("%s:\n got %s\nwant %s", what, g, w)
	}
}

func jobs[T river.JobArgs](t testing.TB, s aftercare.Store) (rows []*rivertype.JobRow, args []T) {
	t.Helper()
	jl, ok := s.(JobLister)
	if !ok {
		t.Fatalf("%T does not list its River jobs (storetest.JobLister)", s)
	}
	var zero T
	rows, err := jl.Jobs(context.Background(), zero.Kind())
	must(t, err)
	for _, r := range rows {
		var a T
		must(t, json.Unmarshal(r.EncodedArgs, &a))
		args = append(args, a)
	}
	return rows, args
}

var clinicTests = []test{
	{name: "a created clinic is found with every field, its webhook secret included", run: func(t *testing.T, s aftercare.Store) {
		ctx := t.Context()
		c := &aftercare.Clinic{Name: "  Kneads  ", EmergencyNumber: "112", FollowUpHours: []int{12, 36},
			NotifyEmail: "desk@kneads.example", WebhookURL: "https://hooks.kneads.example/aftercare", WebhookSecret: "whsec"}
		must(t, s.CreateClinic(ctx, c))
		if c.ID == 0 || c.CreatedAt.IsZero() || c.Name != "Kneads" {
			t.Fatalf("created clinic = %+v, want an id, a creation time and a trimmed name", c)
		}
		got, err := s.FindClinic(ctx, c.ID)
		must(t, err)
		same(t, "clinic", got, c)
		if got.WebhookSecret != "whsec" {
			t.Fatalf("webhook secret = %q, want whsec", got.WebhookSecret)
		}
	}},
	{name: "a clinic without follow-up hours gets the default ones and an empty emergency number stays empty", run: func(t *testing.T, s aftercare.Store) {
		c := &aftercare.Clinic{Name: "Plain"}
		must(t, s.CreateClinic(t.Context(), c))
		got, err := s.FindClinic(t.Context(), c.ID)
		must(t, err)
		if !slices.Equal(got.FollowUpHours, aftercare.DefaultFollowUpHours) || got.EmergencyNumber != "" {
			t.Fatalf("clinic = %+v, want default follow-up hours and no emergency number", got)
		}
	}},
	{name: "a clinic without a name is refused naming the field", run: func(t *testing.T, s aftercare.Store) {
		err := s.CreateClinic(t.Context(), &aftercare.Clinic{Name: "   "})
		wantCode(t, err, aftercare.EINVALID)
		wantField(t, err, "name")
	}},
	{name: "a clinic with a zero follow-up hour is refused naming the field", run: func(t *testing.T, s aftercare.Store) {
		err := s.CreateClinic(t.Context(), &aftercare.Clinic{Name: "Zero", FollowUpHours: []int{0}})
		wantCode(t, err, aftercare.EINVALID)
		wantField(t, err, "follow_up_hours")
	}},
	{name: "listing clinics returns every clinic oldest first", run: func(t *testing.T, s aftercare.Store) {
		a, b := &aftercare.Clinic{Name: "A"}, &aftercare.Clinic{Name: "B"}
		must(t, s.CreateClinic(t.Context(), a))
		must(t, s.CreateClinic(t.Context(), b))
		list, err := s.ListClinics(t.Context())
		must(t, err)
		same(t, "clinics", list, []*aftercare.Clinic{a, b})
	}},
	{name: "an unknown clinic is not found", run: func(t *testing.T, s aftercare.Store) {
		_, err := s.FindClinic(t.Context(), 424242)
		wantCode(t, err, aftercare.ENOTFOUND)
	}},
	{name: "a clinic's time zone is stored, read back and changed, and a clinic naming none is in UTC", run: func(t *testing.T, s aftercare.Store) {
		ctx := t.Context()
		c := &aftercare.Clinic{Name: "Pacific", TimeZone: "America/Los_Angeles"}
		must(t, s.CreateClinic(ctx, c))
		got, err := s.FindClinic(ctx, c.ID)
		must(t, err)
		if got.TimeZone != "America/Los_Angeles" || got.Location().String() != "America/Los_Angeles" {
			t.Fatalf("time zone = %q (%s), want America/Los_Angeles", got.TimeZone, got.Location())
		}
		must(t, s.SetClinicTimeZone(ctx, c.ID, "Europe/London"))
		got, err = s.FindClinic(ctx, c.ID)
		must(t, err)
		c.TimeZone = "Europe/London"
		same(t, "clinic after the change", got, c)

		plain := &aftercare.Clinic{Name: "Plain"}
		must(t, s.CreateClinic(ctx, plain))
		got, err = s.FindClinic(ctx, plain.ID)
		must(t, err)
		if got.TimeZone != aftercare.DefaultTimeZone {
			t.Fatalf("time zone of a clinic naming none = %q, want %q", got.TimeZone, aftercare.DefaultTimeZone)
		}
	}},
	{name: "a time zone that is not an IANA name is refused naming the field, and nothing stored changes", run: func(t *testing.T, s aftercare.Store) {
		ctx := t.Context()
		c := &aftercare.Clinic{Name: "Pacific", TimeZone: "America/Los_Angeles"}
		must(t, s.CreateClinic(ctx, c))
		for _, bad := range []string{"Pacific Time", "Mars/Olympus_Mons", "Local", "", "../etc/passwd"} {
			t.Run("changing it to "+strconv.Quote(bad), func(t *testing.T) {
				err := s.SetClinicTimeZone(ctx, c.ID, bad)
				wantCode(t, err, aftercare.EINVALID)
				wantField(t, err, "time_zone")
				got, err := s.FindClinic(ctx, c.ID)
				must(t, err)
				same(t, "clinic after a refused change", got, c)
			})
		}
		err := s.CreateClinic(ctx, &aftercare.Clinic{Name: "Nowhere", TimeZone: "Nowhere/Land"})
		wantCode(t, err, aftercare.EINVALID)
		wantField(t, err, "time_zone")
		list, err := s.ListClinics(ctx)
		must(t, err)
		same(t, "clinics after a refused one", list, []*aftercare.Clinic{c})
	}},
	{name: "changing the time zone of an unknown clinic is not found", run: func(t *testing.T, s aftercare.Store) {
		err := s.SetClinicTimeZone(t.Context(), 424242, "Europe/London")
		wantCode(t, err, aftercare.ENOTFOUND)
	}},
}

var userTests = []test{
	{name: "a user is found by email in any letter case", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		got, err := s.FindUserByEmail(t.Context(), "  "+upper(w.user.Email)+" ")
		must(t, err)
		same(t, "user", got, w.user)
		if got.PasswordHash != w.user.PasswordHash {
			t.Fatalf("password hash = %q, want %q", got.PasswordHash, w.user.PasswordHash)
		}
	}},
	{name: "a user with an email already in use in another case is a conflict on the email", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		err := s.CreateUser(t.Context(), &aftercare.User{ClinicID: w.clinic.ID, Email: upper(w.user.Email), Role: aftercare.RoleTherapist})
		wantCode(t, err, aftercare.ECONFLICT)
		wantField(t, err, "email")
	}},
	{name: "users with a bad role or email are refused naming the field", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		for _, tc := range []struct {
			user  aftercare.User
			field string
		}{
			{aftercare.User{ClinicID: w.clinic.ID, Email: "t@x.example", Role: "boss"}, "role"},
			{aftercare.User{ClinicID: w.clinic.ID, Email: "", Role: aftercare.RoleTherapist}, "email"},
			{aftercare.User{ClinicID: w.clinic.ID, Email: "no-at-sign", Role: aftercare.RoleTherapist}, "email"},
		} {
			err := s.CreateUser(t.Context(), &tc.user)
			wantCode(t, err, aftercare.EINVALID)
			wantField(t, err, tc.field)
		}
	}},
	{name: "a user of an unknown clinic is not found", run: func(t *testing.T, s aftercare.Store) {
		err := s.CreateUser(t.Context(), &aftercare.User{ClinicID: 424242, Email: "x@y.example", Role: aftercare.RoleOwner})
		wantCode(t, err, aftercare.ENOTFOUND)
	}},
	{name: "an unknown email is not found", run: func(t *testing.T, s aftercare.Store) {
		_, err := s.FindUserByEmail(t.Context(), "nobody@example.com")
		wantCode(t, err, aftercare.ENOTFOUND)
	}},
}

var tokenTests = []test{
	{name: "a token is found by its hash until it is revoked", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		got, err := s.FindToken(t.Context(), w.token.Hash)
		must(t, err)
		same(t, "token", got, w.token)
		if !bytes.Equal(got.Hash, w.token.Hash) {
			t.Fatal("token hash changed")
		}
		must(t, s.RevokeToken(t.Context(), w.clinic.ID, w.token.ID, base))
		_, err = s.FindToken(t.Context(), w.token.Hash)
		wantCode(t, err, aftercare.ENOTFOUND)
		must(t, s.RevokeToken(t.Context(), w.clinic.ID, w.token.ID, base.Add(time.Hour)))
	}},
	{name: "touching a token records when it was last used", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		must(t, s.TouchToken(t.Context(), w.token.ID, base.Add(time.Minute)))
		got, err := s.FindToken(t.Context(), w.token.Hash)
		must(t, err)
		if got.LastUsedAt == nil || !got.LastUsedAt.Equal(base.Add(time.Minute)) {
			t.Fatalf("last used = %v, want %v", got.LastUsedAt, base.Add(time.Minute))
		}
		wantCode(t, s.TouchToken(t.Context(), 424242, base), aftercare.ENOTFOUND)
	}},
	{name: "a token with a hash already stored is a conflict", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		err := s.CreateToken(t.Context(), &aftercare.APIToken{ClinicID: w.clinic.ID, Name: "copy", Hash: w.token.Hash})
		wantCode(t, err, aftercare.ECONFLICT)
	}},
	{name: "a token without a name is refused naming the field", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		_, hash := aftercare.NewSecret("act_")
		err := s.CreateToken(t.Context(), &aftercare.APIToken{ClinicID: w.clinic.ID, Hash: hash})
		wantCode(t, err, aftercare.EINVALID)
		wantField(t, err, "name")
	}},
}

var clientTests = []test{
	{name: "a client is found and listed under its clinic", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		got, err := s.FindClient(t.Context(), w.clinic.ID, w.client.ID)
		must(t, err)
		same(t, "client", got, w.client)
		second := &aftercare.Client{ClinicID: w.clinic.ID, Name: "Bo"}
		must(t, s.CreateClient(t.Context(), second))
		list, err := s.ListClients(t.Context(), w.clinic.ID)
		must(t, err)
		same(t, "clients", list, []*aftercare.Client{w.client, second})
	}},
	{name: "a client without a name is refused naming the field", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		err := s.CreateClient(t.Context(), &aftercare.Client{ClinicID: w.clinic.ID})
		wantCode(t, err, aftercare.EINVALID)
		wantField(t, err, "name")
	}},
	{name: "screenings keep their health answers and cautions and list oldest first", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		first := &aftercare.Screening{ClinicID: w.clinic.ID, ClientID: w.client.ID, Health: []string{"pregnancy", "blood_thinners"},
			Notes: "second trimester", CreatedAt: base,
			Cautions: []aftercare.Caution{{Health: "blood_thinners", Title: "Bruising", Advice: "light pressure",
				MaxPressure: "light", AvoidAreas: []string{"legs"}, SeeDoctorFirst: true, Source: "seed#thinners"}}}
		second := &aftercare.Screening{ClinicID: w.clinic.ID, ClientID: w.client.ID, CreatedAt: base.Add(time.Hour)}
		must(t, s.CreateScreening(t.Context(), second))
		must(t, s.CreateScreening(t.Context(), first))
		list, err := s.ListScreenings(t.Context(), w.clinic.ID, w.client.ID)
		must(t, err)
		same(t, "screenings", list, []*aftercare.Screening{first, second})
	}},
}

var sessionTests = []test{
	{name: "a session is found with its follow-ups in hour order and no check-ins", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		got, err := s.FindSession(t.Context(), w.clinic.ID, w.session.ID)
		must(t, err)
		want := *w.session
		want.FollowUps = []aftercare.FollowUp{w.session.FollowUps[1], w.session.FollowUps[0]}
		same(t, "session", got, &want)
		if len(got.CheckIns) != 0 {
			t.Fatalf("check-ins = %v, want none", got.CheckIns)
		}
	}},
	{name: "a session queues one unique reminder job per follow-up at its due time", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		rows, args := jobs[followup.ReminderArgs](t, s)
		if len(rows) != 2 {
			t.Fatalf("%d reminder jobs, want 2", len(rows))
		}
		for i, f := range w.session.FollowUps {
			var row *rivertype.JobRow
			for j, a := range args {
				if a == (followup.ReminderArgs{ClinicID: w.clinic.ID, SessionID: w.session.ID, Hours: f.Hours}) {
					row = rows[j]
				}
			}
			if row == nil {
				t.Fatalf("no reminder job for follow-up %d (%+v) in %+v", i, f, args)
			}
			if !row.ScheduledAt.Equal(f.DueAt) {
				t.Errorf("reminder at %d hours scheduled at %v, want %v", f.Hours, row.ScheduledAt, f.DueAt)
			}
			if row.State != rivertype.JobStateScheduled || row.Queue != river.QueueDefault {
				t.Errorf("reminder job state %s queue %s, want scheduled on default", row.State, row.Queue)
			}
			if len(row.UniqueKey) == 0 {
				t.Errorf("reminder job has no unique key")
			}
		}
	}},
	{name: "a session of another clinic's client is not found and queues nothing", run: func(t *testing.T, s aftercare.Store) {
		a, b := build(t, s, "alpha"), build(t, s, "beta")
		before, _ := jobs[followup.ReminderArgs](t, s)
		_, hash := aftercare.NewSecret("link_")
		err := s.CreateSession(t.Context(), &aftercare.Session{ClinicID: b.clinic.ID, ClientID: a.client.ID,
			EndedAt: base, LinkExpiresAt: base.Add(time.Hour),
			FollowUps: []aftercare.FollowUp{{Hours: 24, DueAt: base.Add(24 * time.Hour)}}}, hash)
		wantCode(t, err, aftercare.ENOTFOUND)
		after, _ := jobs[followup.ReminderArgs](t, s)
		if len(after) != len(before) {
			t.Fatalf("%d reminder jobs after a refused session, want %d", len(after), len(before))
		}
	}},
	{name: "sessions missing required fields are refused naming the field", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		_, hash := aftercare.NewSecret("link_")
		for _, tc := range []struct {
			name  string
			edit  func(*aftercare.Session)
			hash  []byte
			field string
		}{
			{"no end time", func(se *aftercare.Session) { se.EndedAt = time.Time{} }, hash, "ended_at"},
			{"no link expiry", func(se *aftercare.Session) { se.LinkExpiresAt = time.Time{} }, hash, "link_expires_at"},
			{"no link", func(*aftercare.Session) {}, nil, "check_in_url"},
			{"hours twice", func(se *aftercare.Session) {
				se.FollowUps = []aftercare.FollowUp{{Hours: 24, DueAt: base}, {Hours: 24, DueAt: base}}
			}, hash, "follow_ups"},
		} {
			se := &aftercare.Session{ClinicID: w.clinic.ID, ClientID: w.client.ID, EndedAt: base, LinkExpiresAt: base.Add(time.Hour)}
			tc.edit(se)
			err := s.CreateSession(t.Context(), se, tc.hash)
			wantCode(t, err, aftercare.EINVALID)
			wantField(t, err, tc.field)
		}
	}},
	{name: "a session note holding a NUL character is refused naming the field", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		_, hash := aftercare.NewSecret("link_")
		err := s.CreateSession(t.Context(), &aftercare.Session{ClinicID: w.clinic.ID, ClientID: w.client.ID,
			EndedAt: base, LinkExpiresAt: base.Add(time.Hour), Notes: "a\x00b"}, hash)
		wantCode(t, err, aftercare.EINVALID)
		wantField(t, err, "notes")
	}},
	{name: "sessions are listed per client and per clinic, oldest first, as FindSession returns them, never across clinics", run: func(t *testing.T, s aftercare.Store) {
		a, b := build(t, s, "alpha"), build(t, s, "beta")
		ctx := t.Context()
		// Created out of order: the listing follows the end time, not the id.
		earlier, _ := newSession(t, s, a.clinic.ID, a.client.ID, base.Add(-48*time.Hour))
		other := &aftercare.Client{ClinicID: a.clinic.ID, Name: "Bo"}
		must(t, s.CreateClient(ctx, other))
		otherSession, _ := newSession(t, s, a.clinic.ID, other.ID, base.Add(-24*time.Hour))
		_, err := s.CreateCheckIn(ctx, checkIn(a.clinic.ID, a.session.ID, aftercare.SelfCare))
		must(t, err)
		_, err = s.CreateCheckIn(ctx, checkIn(a.clinic.ID, a.session.ID, aftercare.Consult))
		must(t, err)
		find := func(ids ...int64) []*aftercare.Session {
			var out []*aftercare.Session
			for _, id := range ids {
				se, err := s.FindSession(ctx, a.clinic.ID, id)
				must(t, err)
				out = append(out, se)
			}
			return out
		}

		list, err := s.ListSessions(ctx, a.clinic.ID, a.client.ID)
		must(t, err)
		same(t, "client's sessions", list, find(earlier.ID, a.session.ID))
		if len(list[1].CheckIns) != 2 || len(list[1].FollowUps) != 2 || list[1].FollowUps[0].Hours != 24 {
			t.Fatalf("listed session = %+v, want two check-ins and follow-ups in hour order", list[1])
		}
		list, err = s.ListSessions(ctx, a.clinic.ID, 0)
		must(t, err)
		same(t, "clinic's sessions", list, find(earlier.ID, otherSession.ID, a.session.ID))

		list, err = s.ListSessions(ctx, b.clinic.ID, 0)
		must(t, err)
		if len(list) != 1 || list[0].ID != b.session.ID || list[0].ClinicID != b.clinic.ID {
			t.Fatalf("clinic B's sessions = %+v, want only its own session %d", list, b.session.ID)
		}
		_, err = s.ListSessions(ctx, b.clinic.ID, a.client.ID)
		wantCode(t, err, aftercare.ENOTFOUND)
		list, err = s.ListSessions(ctx, a.clinic.ID, other.ID+1000)
		if aftercare.ErrorCode(err) != aftercare.ENOTFOUND {
			t.Fatalf("unknown client: sessions %+v, error %v, want ENOTFOUND", list, err)
		}
		none := &aftercare.Client{ClinicID: a.clinic.ID, Name: "Cy"}
		must(t, s.CreateClient(ctx, none))
		list, err = s.ListSessions(ctx, a.clinic.ID, none.ID)
		must(t, err)
		if list == nil || len(list) != 0 {
			t.Fatalf("sessions of a client without any = %#v, want an empty list", list)
		}
	}},
	{name: "a client's sessions with several follow-ups and check-ins each are listed as FindSession returns each, and no other client's", run: func(t *testing.T, s aftercare.Store) {
		a, b := build(t, s, "alpha"), build(t, s, "beta")
		ctx := t.Context()
		other := &aftercare.Client{ClinicID: a.clinic.ID, Name: "Bo"}
		must(t, s.CreateClient(ctx, other))
		// Sessions of the client, created out of end-time order, interleaved
		// with another client's of the same clinic, each with check-ins made
		// out of session order.
		ends := []time.Duration{-24, 72, -96, 48, 0, -48}
		var mine, theirs []*aftercare.Session
		for _, h := range ends {
			se, _ := newSession(t, s, a.clinic.ID, a.client.ID, base.Add(h*time.Hour+time.Minute))
			mine = append(mine, se)
			se, _ = newSession(t, s, a.clinic.ID, other.ID, base.Add(h*time.Hour))
			theirs = append(theirs, se)
		}
		levels := []aftercare.Level{aftercare.SelfCare, aftercare.Monitor, aftercare.Consult}
		for _, lv := range levels {
			for i := len(mine) - 1; i >= 0; i-- {
				_, err := s.CreateCheckIn(ctx, checkIn(a.clinic.ID, mine[i].ID, lv))
				must(t, err)
				_, err = s.CreateCheckIn(ctx, checkIn(a.clinic.ID, theirs[i].ID, lv))
				must(t, err)
			}
		}
		must(t, s.MarkFollowUp(ctx, a.clinic.ID, mine[2].ID, 24, "sent", base))
		must(t, s.RevokeLinks(ctx, a.clinic.ID, mine[3].ID, base.Add(time.Hour)))
		_, err := s.CreateCheckIn(ctx, checkIn(b.clinic.ID, b.session.ID, aftercare.Consult))
		must(t, err)

		want := func(sessions ...*aftercare.Session) []*aftercare.Session {
			all := append([]*aftercare.Session(nil), sessions...)
			slices.SortStableFunc(all, func(x, y *aftercare.Session) int {
				if c := x.EndedAt.Compare(y.EndedAt); c != 0 {
					return c
				}
				return cmp.Compare(x.ID, y.ID)
			})
			var out []*aftercare.Session
			for _, se := range all {
				found, err := s.FindSession(ctx, a.clinic.ID, se.ID)
				must(t, err)
				out = append(out, found)
			}
			return out
		}
		list, err := s.ListSessions(ctx, a.clinic.ID, a.client.ID)
		must(t, err)
		same(t, "client's sessions", list, want(append([]*aftercare.Session{a.session}, mine...)...))
		for _, se := range list {
			if se.ClientID != a.client.ID || se.ClinicID != a.clinic.ID {
				t.Fatalf("session %d of client %d (clinic %d) listed for client %d", se.ID, se.ClientID, se.ClinicID, a.client.ID)
			}
			if se.ID != a.session.ID && (len(se.CheckIns) != len(levels) || len(se.FollowUps) != 2) {
				t.Fatalf("session %d has %d check-ins and %d follow-ups, want %d and 2", se.ID, len(se.CheckIns), len(se.FollowUps), len(levels))
			}
			for _, c := range se.CheckIns {
				if c.SessionID != se.ID {
					t.Fatalf("check-in %d of session %d listed under session %d", c.ID, c.SessionID, se.ID)
				}
			}
		}
		list, err = s.ListSessions(ctx, a.clinic.ID, other.ID)
		must(t, err)
		same(t, "other client's sessions", list, want(theirs...))
		list, err = s.ListSessions(ctx, a.clinic.ID, 0)
		must(t, err)
		same(t, "clinic's sessions", list, want(append(append([]*aftercare.Session{a.session}, mine...), theirs...)...))
		_, err = s.ListSessions(ctx, b.clinic.ID, a.client.ID)
		wantCode(t, err, aftercare.ENOTFOUND)
	}},
	{name: "an unknown session is not found", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		_, err := s.FindSession(t.Context(), w.clinic.ID, w.session.ID+1000)
		wantCode(t, err, aftercare.ENOTFOUND)
	}},
}

var linkTests = []test{
	{name: "a link finds its session until it expires", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		got, err := s.FindSessionByLink(t.Context(), w.linkHash, w.session.LinkExpiresAt.Add(-time.Second))
		must(t, err)
		if got.ID != w.session.ID || got.ClinicID != w.clinic.ID || !got.LinkExpiresAt.Equal(w.session.LinkExpiresAt) {
			t.Fatalf("session by link = %+v, want session %d expiring %v", got, w.session.ID, w.session.LinkExpiresAt)
		}
		_, err = s.FindSessionByLink(t.Context(), w.linkHash, w.session.LinkExpiresAt)
		wantCode(t, err, aftercare.ENOTFOUND)
		_, hash := aftercare.NewSecret("link_")
		_, err = s.FindSessionByLink(t.Context(), hash, base)
		wantCode(t, err, aftercare.ENOTFOUND)
	}},
	{name: "revoked links find nothing while a fresh one works", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		_, second := aftercare.NewSecret("link_")
		must(t, s.CreateLink(t.Context(), w.clinic.ID, w.session.ID, second, base.Add(time.Hour)))
		must(t, s.RevokeLinks(t.Context(), w.clinic.ID, w.session.ID, base.Add(time.Minute)))
		for _, h := range [][]byte{w.linkHash, second} {
			_, err := s.FindSessionByLink(t.Context(), h, base)
			wantCode(t, err, aftercare.ENOTFOUND)
		}
		got, err := s.FindSession(t.Context(), w.clinic.ID, w.session.ID)
		must(t, err)
		if !got.LinkExpiresAt.Equal(base.Add(time.Minute)) {
			t.Fatalf("link expires at %v after revoking at %v", got.LinkExpiresAt, base.Add(time.Minute))
		}
		_, fresh := aftercare.NewSecret("link_")
		must(t, s.CreateLink(t.Context(), w.clinic.ID, w.session.ID, fresh, base.Add(2*time.Hour)))
		got, err = s.FindSessionByLink(t.Context(), fresh, base)
		must(t, err)
		if got.ID != w.session.ID || !got.LinkExpiresAt.Equal(base.Add(2*time.Hour)) {
			t.Fatalf("session by fresh link = %+v", got)
		}
	}},
	{name: "a link already in use is a conflict", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		err := s.CreateLink(t.Context(), w.clinic.ID, w.session.ID, w.linkHash, base.Add(time.Hour))
		wantCode(t, err, aftercare.ECONFLICT)
	}},
}

var followUpTests = []test{
	{name: "marking a follow-up sent records the time and marking it again changes nothing", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		sent := base.Add(24 * time.Hour)
		must(t, s.MarkFollowUp(t.Context(), w.clinic.ID, w.session.ID, 24, "sent", sent))
		must(t, s.MarkFollowUp(t.Context(), w.clinic.ID, w.session.ID, 24, "skipped", sent.Add(time.Hour)))
		must(t, s.MarkFollowUp(t.Context(), w.clinic.ID, w.session.ID, 48, "skipped", sent.Add(time.Hour)))
		got, err := s.FindSession(t.Context(), w.clinic.ID, w.session.ID)
		must(t, err)
		f24, f48 := got.FollowUps[0], got.FollowUps[1]
		if f24.Status != "sent" || f24.SentAt == nil || !f24.SentAt.Equal(sent) {
			t.Fatalf("24-hour follow-up = %+v, want sent at %v", f24, sent)
		}
		if f48.Status != "skipped" || f48.SentAt != nil {
			t.Fatalf("48-hour follow-up = %+v, want skipped and never sent", f48)
		}
	}},
	{name: "marking an unknown follow-up is not found and an unknown status is refused", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		wantCode(t, s.MarkFollowUp(t.Context(), w.clinic.ID, w.session.ID, 72, "sent", base), aftercare.ENOTFOUND)
		err := s.MarkFollowUp(t.Context(), w.clinic.ID, w.session.ID, 24, "lost", base)
		wantCode(t, err, aftercare.EINVALID)
		wantField(t, err, "status")
	}},
}

var checkInTests = []test{
	{name: "a check-in below consult is stored without a flag or a notice", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		for _, level := range []aftercare.Level{aftercare.SelfCare, aftercare.Monitor} {
			c := checkIn(w.clinic.ID, w.session.ID, level)
			f, err := s.CreateCheckIn(t.Context(), c)
			must(t, err)
			if f != nil {
				t.Fatalf("flag %+v at %s, want none", f, level)
			}
			if c.ID == 0 || c.CreatedAt.IsZero() {
				t.Fatalf("check-in = %+v, want an id and a creation time", c)
			}
		}
		flags, err := s.ListFlags(t.Context(), w.clinic.ID)
		must(t, err)
		notices, _ := jobs[followup.FlagArgs](t, s)
		if len(flags) != 0 || len(notices) != 0 {
			t.Fatalf("%d flags and %d notices, want none", len(flags), len(notices))
		}
	}},
	{name: "a check-in at consult or above raises a flag and queues a notice to run at once", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		var want []*aftercare.Flag
		for i, level := range []aftercare.Level{aftercare.Consult, aftercare.Urgent, aftercare.Emergency} {
			c := checkIn(w.clinic.ID, w.session.ID, level)
			c.CreatedAt = base.Add(time.Duration(i) * time.Minute)
			before := time.Now()
			f, err := s.CreateCheckIn(t.Context(), c)
			must(t, err)
			if f == nil || f.ID == 0 {
				t.Fatalf("no flag at %s", level)
			}
			same(t, "flag", f, &aftercare.Flag{ID: f.ID, ClinicID: w.clinic.ID, CheckInID: c.ID, SessionID: w.session.ID,
				ClientID: w.client.ID, Level: level, Headline: c.Assessment.Headline, CreatedAt: c.CreatedAt})
			found, err := s.FindFlag(t.Context(), w.clinic.ID, f.ID)
			must(t, err)
			same(t, "found flag", found, f)
			want = append(want, f)

			rows, args := jobs[followup.FlagArgs](t, s)
			if len(rows) != i+1 || args[i] != (followup.FlagArgs{ClinicID: w.clinic.ID, FlagID: f.ID}) {
				t.Fatalf("flag notices = %+v, want the last for flag %d", args, f.ID)
			}
			if rows[i].State != rivertype.JobStateAvailable || rows[i].ScheduledAt.After(time.Now().Add(time.Second)) ||
				rows[i].ScheduledAt.Before(before.Add(-time.Minute)) {
				t.Fatalf("flag notice is %s at %v, want available now", rows[i].State, rows[i].ScheduledAt)
			}
		}
		flags, err := s.ListFlags(t.Context(), w.clinic.ID)
		must(t, err)
		same(t, "flags", flags, want)
	}},
	{name: "check-ins of a session come back oldest first with their request and assessment", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		later := checkIn(w.clinic.ID, w.session.ID, aftercare.Monitor)
		later.CreatedAt = base.Add(2 * time.Hour)
		earlier := checkIn(w.clinic.ID, w.session.ID, aftercare.Consult)
		earlier.CreatedAt = base.Add(time.Hour)
		earlier.Request.Text = "café ☕ — naïve “quotes” 'and' \\ backslashes, a NUL \x00 and a tab\t"
		_, err := s.CreateCheckIn(t.Context(), later)
		must(t, err)
		_, err = s.CreateCheckIn(t.Context(), earlier)
		must(t, err)
		got, err := s.FindSession(t.Context(), w.clinic.ID, w.session.ID)
		must(t, err)
		same(t, "check-ins", got.CheckIns, []aftercare.CheckIn{*earlier, *later})
	}},
	{name: "acknowledging a flag takes it off the list and acknowledging again returns it unchanged", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		first, err := s.CreateCheckIn(t.Context(), checkIn(w.clinic.ID, w.session.ID, aftercare.Consult))
		must(t, err)
		second, err := s.CreateCheckIn(t.Context(), checkIn(w.clinic.ID, w.session.ID, aftercare.Urgent))
		must(t, err)
		at := base.Add(3 * time.Hour)
		acked, err := s.AckFlag(t.Context(), w.clinic.ID, first.ID, aftercare.FlagAck{By: "owner@alpha.example", At: at})
		must(t, err)
		if acked.AckedAt == nil || !acked.AckedAt.Equal(at) || acked.AckedBy != "owner@alpha.example" {
			t.Fatalf("acked flag = %+v, want acked at %v by owner", acked, at)
		}
		again, err := s.AckFlag(t.Context(), w.clinic.ID, first.ID, aftercare.FlagAck{By: "someone@else.example", At: at.Add(time.Hour)})
		must(t, err)
		same(t, "flag acked twice", again, acked)
		flags, err := s.ListFlags(t.Context(), w.clinic.ID)
		must(t, err)
		same(t, "flags", flags, []*aftercare.Flag{second})
		_, err = s.AckFlag(t.Context(), w.clinic.ID, second.ID, aftercare.FlagAck{By: " ", At: at})
		wantCode(t, err, aftercare.EINVALID)
	}},
	{name: "a check-in without an assessment level is refused naming the field", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		_, err := s.CreateCheckIn(t.Context(), checkIn(w.clinic.ID, w.session.ID, aftercare.LevelNone))
		wantCode(t, err, aftercare.EINVALID)
		wantField(t, err, "assessment.level")
	}},
}

var isolationTests = []test{
	{name: "clinic B's ids find nothing of clinic A and change nothing", run: func(t *testing.T, s aftercare.Store) {
		a, b := build(t, s, "alpha"), build(t, s, "beta")
		flagA, err := s.CreateCheckIn(t.Context(), checkIn(a.clinic.ID, a.session.ID, aftercare.Urgent))
		must(t, err)
		ctx := t.Context()
		B := b.clinic.ID
		for _, tc := range []struct {
			name string
			call func() error
		}{
			{"find client", func() error { _, err := s.FindClient(ctx, B, a.client.ID); return err }},
			{"list screenings", func() error { _, err := s.ListScreenings(ctx, B, a.client.ID); return err }},
			{"create screening", func() error {
				return s.CreateScreening(ctx, &aftercare.Screening{ClinicID: B, ClientID: a.client.ID})
			}},
			{"find session", func() error { _, err := s.FindSession(ctx, B, a.session.ID); return err }},
			{"create session", func() error {
				_, h := aftercare.NewSecret("link_")
				return s.CreateSession(ctx, &aftercare.Session{ClinicID: B, ClientID: a.client.ID, EndedAt: base,
					LinkExpiresAt: base.Add(time.Hour)}, h)
			}},
			{"create link", func() error {
				_, h := aftercare.NewSecret("link_")
				return s.CreateLink(ctx, B, a.session.ID, h, base.Add(time.Hour))
			}},
			{"revoke links", func() error { return s.RevokeLinks(ctx, B, a.session.ID, base) }},
			{"mark follow-up", func() error { return s.MarkFollowUp(ctx, B, a.session.ID, 24, "sent", base) }},
			{"create check-in", func() error {
				_, err := s.CreateCheckIn(ctx, checkIn(B, a.session.ID, aftercare.Emergency))
				return err
			}},
			{"find flag", func() error { _, err := s.FindFlag(ctx, B, flagA.ID); return err }},
			{"ack flag", func() error {
				_, err := s.AckFlag(ctx, B, flagA.ID, aftercare.FlagAck{By: "intruder", At: base})
				return err
			}},
			{"revoke token", func() error { return s.RevokeToken(ctx, B, a.token.ID, base) }},
			{"undo an acknowledgement", func() error { _, err := s.UndoAck(ctx, B, flagA.ID, base.Add(-time.Hour)); return err }},
			{"update client", func() error {
				return s.UpdateClient(ctx, &aftercare.Client{ClinicID: B, ID: a.client.ID, Name: "Taken over", Phone: "+44 20 7946 0000"})
			}},
			{"mark delivery", func() error {
				return s.MarkDelivery(ctx, B, a.session.ID, 24, aftercare.DeliveryFailed, "intruder", base)
			}},
		} {
			wantCode(t, tc.call(), aftercare.ENOTFOUND)
		}

		clients, err := s.ListClients(ctx, B)
		must(t, err)
		same(t, "clinic B's clients", clients, []*aftercare.Client{b.client})
		flags, err := s.ListFlags(ctx, B)
		must(t, err)
		if len(flags) != 0 {
			t.Fatalf("clinic B sees flags %+v", flags)
		}

		// Clinic A's data is as it was.
		flags, err = s.ListFlags(ctx, a.clinic.ID)
		must(t, err)
		same(t, "clinic A's flags", flags, []*aftercare.Flag{flagA})
		if _, err := s.FindToken(ctx, a.token.Hash); err != nil {
			t.Fatalf("clinic A's token: %v", err)
		}
		clientA, err := s.FindClient(ctx, a.clinic.ID, a.client.ID)
		must(t, err)
		same(t, "clinic A's client", clientA, a.client)
		got, err := s.FindSessionByLink(ctx, a.linkHash, base)
		must(t, err)
		if len(got.CheckIns) != 1 || got.FollowUps[0].Status != "scheduled" || got.FollowUps[0].Delivery != "" {
			t.Fatalf("clinic A's session changed: %+v", got)
		}
		screenings, err := s.ListScreenings(ctx, a.clinic.ID, a.client.ID)
		must(t, err)
		if len(screenings) != 0 {
			t.Fatalf("clinic A's client has screenings %+v", screenings)
		}
	}},
}

var refusedTests = []test{
	{name: "a check-in for another clinic's session, below consult or above, stores no check-in, flag or notice", run: func(t *testing.T, s aftercare.Store) {
		a, b := build(t, s, "alpha"), build(t, s, "beta")
		// Below consult the stores write a lone check-in with one statement,
		// at consult and above with the flag's: both must refuse.
		for _, level := range []aftercare.Level{aftercare.Monitor, aftercare.Emergency} {
			_, err := s.CreateCheckIn(t.Context(), checkIn(a.clinic.ID, b.session.ID, level))
			wantCode(t, err, aftercare.ENOTFOUND)
		}
		for _, w := range []*world{a, b} {
			got, err := s.FindSession(t.Context(), w.clinic.ID, w.session.ID)
			must(t, err)
			flags, err := s.ListFlags(t.Context(), w.clinic.ID)
			must(t, err)
			if len(got.CheckIns) != 0 || len(flags) != 0 {
				t.Fatalf("clinic %s has %d check-ins and %d flags, want none", w.clinic.Name, len(got.CheckIns), len(flags))
			}
		}
		if notices, _ := jobs[followup.FlagArgs](t, s); len(notices) != 0 {
			t.Fatalf("%d flag notices queued, want none", len(notices))
		}
	}},
	{name: "a duplicate email leaves the first user unchanged", run: func(t *testing.T, s aftercare.Store) {
		a, b := build(t, s, "alpha"), build(t, s, "beta")
		err := s.CreateUser(t.Context(), &aftercare.User{ClinicID: b.clinic.ID, Email: a.user.Email,
			Role: aftercare.RoleTherapist, PasswordHash: "other"})
		wantCode(t, err, aftercare.ECONFLICT)
		got, err := s.FindUserByEmail(t.Context(), a.user.Email)
		must(t, err)
		same(t, "user", got, a.user)
		if got.PasswordHash != a.user.PasswordHash {
			t.Fatal("the first user's password hash changed")
		}
	}},
	{name: "a session whose link is in use is refused with nothing of it stored or queued", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		before, _ := jobs[followup.ReminderArgs](t, s)
		se := &aftercare.Session{ClinicID: w.clinic.ID, ClientID: w.client.ID, EndedAt: base.Add(time.Hour),
			LinkExpiresAt: base.Add(48 * time.Hour),
			FollowUps:     []aftercare.FollowUp{{Hours: 12, DueAt: base.Add(13 * time.Hour)}}}
		err := s.CreateSession(t.Context(), se, w.linkHash)
		wantCode(t, err, aftercare.ECONFLICT)
		if se.ID != 0 {
			t.Fatalf("refused session got id %d", se.ID)
		}
		after, args := jobs[followup.ReminderArgs](t, s)
		if len(after) != len(before) {
			t.Fatalf("reminders after a refused session: %+v", args)
		}
		got, err := s.FindSessionByLink(t.Context(), w.linkHash, base)
		must(t, err)
		if got.ID != w.session.ID {
			t.Fatalf("the link now opens session %d, want %d", got.ID, w.session.ID)
		}
	}},
}

var concurrencyTests = []test{
	{name: "twenty concurrent check-ins are all stored exactly once", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		const n = 20
		var wg sync.WaitGroup
		ids := make([]int64, n)
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				c := checkIn(w.clinic.ID, w.session.ID, aftercare.Consult)
				c.Request.Text = fmt.Sprintf("check-in %d", i)
				_, errs[i] = s.CreateCheckIn(t.Context(), c)
				ids[i] = c.ID
			})
		}
		wg.Wait()
		for _, err := range errs {
			must(t, err)
		}
		got, err := s.FindSession(t.Context(), w.clinic.ID, w.session.ID)
		must(t, err)
		texts := map[string]int64{}
		for _, c := range got.CheckIns {
			texts[c.Request.Text] = c.ID
		}
		if len(got.CheckIns) != n || len(texts) != n {
			t.Fatalf("%d check-ins stored (%d distinct), want %d", len(got.CheckIns), len(texts), n)
		}
		for i, id := range ids {
			if texts[fmt.Sprintf("check-in %d", i)] != id {
				t.Fatalf("check-in %d stored as %d, returned id %d", i, texts[fmt.Sprintf("check-in %d", i)], id)
			}
		}
		flags, err := s.ListFlags(t.Context(), w.clinic.ID)
		must(t, err)
		notices, _ := jobs[followup.FlagArgs](t, s)
		if len(flags) != n || len(notices) != n {
			t.Fatalf("%d flags and %d notices, want %d each", len(flags), len(notices), n)
		}
	}},
	{name: "32 concurrent check-ins, some failing and some replayed, each get their own result", run: func(t *testing.T, s aftercare.Store) {
		// Callers 0-7 name a session that does not exist; 8-19 share four
		// idempotency keys, three callers each; 20-31 are plain, every other
		// one at consult. A store that writes concurrent check-ins together
		// must still give each caller its own result.
		w := build(t, s, "alpha")
		const n = 32
		cs := make([]*aftercare.CheckIn, n)
		flags := make([]*aftercare.Flag, n)
		errs := make([]error, n)
		for i := range n {
			level := aftercare.Consult
			if i >= 20 && i%2 == 1 {
				level = aftercare.Monitor
			}
			cs[i] = checkIn(w.clinic.ID, w.session.ID, level)
			cs[i].Request.Text = fmt.Sprintf("check-in %d", i)
			switch {
			case i < 8:
				cs[i].SessionID = w.session.ID + 1000
			case i < 20:
				cs[i].IdempotencyKey = fmt.Sprintf("key-%d", i%4)
			}
		}
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				<-start
				flags[i], errs[i] = s.CreateCheckIn(t.Context(), cs[i])
			})
		}
		close(start)
		wg.Wait()

		got, err := s.FindSession(t.Context(), w.clinic.ID, w.session.ID)
		must(t, err)
		stored := map[int64]string{}
		for _, c := range got.CheckIns {
			stored[c.ID] = c.Request.Text
		}
		firsts := map[string]int64{} // idempotency key -> the check-in stored under it
		for i, c := range cs {
			switch {
			case i < 8:
				wantCode(t, errs[i], aftercare.ENOTFOUND)
				if flags[i] != nil {
					t.Fatalf("caller %d: flag %+v for a missing session", i, flags[i])
				}
				continue
			case i < 20:
				must(t, errs[i])
				if !c.Replayed {
					if firsts[c.IdempotencyKey] != 0 {
						t.Fatalf("caller %d: key %q stored twice", i, c.IdempotencyKey)
					}
					firsts[c.IdempotencyKey] = c.ID
				}
			default:
				must(t, errs[i])
				if c.Replayed {
					t.Fatalf("caller %d: replayed without a key", i)
				}
				if stored[c.ID] != fmt.Sprintf("check-in %d", i) {
					t.Fatalf("caller %d: got id %d, which holds %q", i, c.ID, stored[c.ID])
				}
			}
			if c.ID == 0 || stored[c.ID] != c.Request.Text {
				t.Fatalf("caller %d: check-in %d %q, stored %q", i, c.ID, c.Request.Text, stored[c.ID])
			}
			if (flags[i] != nil) != (c.Assessment.Level >= aftercare.Consult) || flags[i] != nil && flags[i].CheckInID != c.ID {
				t.Fatalf("caller %d: flag %+v for check-in %d at %s", i, flags[i], c.ID, c.Assessment.Level)
			}
		}
		if len(firsts) != 4 {
			t.Fatalf("%d keys stored fresh, want 4", len(firsts))
		}
		for i := 8; i < 20; i++ {
			if cs[i].ID != firsts[cs[i].IdempotencyKey] {
				t.Fatalf("caller %d: key %q answered with %d, stored as %d", i, cs[i].IdempotencyKey, cs[i].ID, firsts[cs[i].IdempotencyKey])
			}
		}
		const wantCheckIns, wantFlags = 4 + 12, 4 + 6
		if len(got.CheckIns) != wantCheckIns || len(stored) != wantCheckIns {
			t.Fatalf("%d check-ins stored, want %d", len(got.CheckIns), wantCheckIns)
		}
		open, err := s.ListFlags(t.Context(), w.clinic.ID)
		must(t, err)
		notices, _ := jobs[followup.FlagArgs](t, s)
		if len(open) != wantFlags || len(notices) != wantFlags {
			t.Fatalf("%d flags and %d notices, want %d each", len(open), len(notices), wantFlags)
		}
	}},
}

var workerTests = []test{
	{name: "workers started by Work run the flag notice and a due reminder", run: func(t *testing.T, s aftercare.Store) {
		wk, ok := s.(Worker)
		if !ok {
			t.Fatalf("%T has no Work method", s)
		}
		w := build(t, s, "alpha")
		// A session that ended two days ago: its 24-hour reminder is due now.
		past, _ := newSession(t, s, w.clinic.ID, w.client.ID, time.Now().UTC().Add(-49*time.Hour).Truncate(time.Second))
		flag, err := s.CreateCheckIn(t.Context(), checkIn(w.clinic.ID, w.session.ID, aftercare.Urgent))
		must(t, err)

		notices := make(chan followup.FlagArgs, 10)
		reminders := make(chan followup.ReminderArgs, 10)
		workers := river.NewWorkers()
		river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, j *river.Job[followup.FlagArgs]) error {
			notices <- j.Args
			return nil
		}))
		river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, j *river.Job[followup.ReminderArgs]) error {
			// A worker uses the store while River runs: this must not deadlock.
			if err := s.MarkFollowUp(ctx, j.Args.ClinicID, j.Args.SessionID, j.Args.Hours, "sent", time.Now()); err != nil {
				return err
			}
			reminders <- j.Args
			return nil
		}))
		stop, err := wk.Work(t.Context(), workers, slog.New(slog.DiscardHandler))
		must(t, err)
		defer func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			must(t, stop(ctx))
		}()

		timeout := time.After(20 * time.Second)
		var gotNotice, gotReminders = false, map[int]bool{}
		for !gotNotice || len(gotReminders) < 2 {
			select {
			case a := <-notices:
				if a != (followup.FlagArgs{ClinicID: w.clinic.ID, FlagID: flag.ID}) {
					t.Fatalf("notice for %+v, want flag %d", a, flag.ID)
				}
				gotNotice = true
			case a := <-reminders:
				if a.SessionID != past.ID {
					t.Fatalf("reminder for %+v ran early; only session %d's are due", a, past.ID)
				}
				gotReminders[a.Hours] = true
			case <-timeout:
				t.Fatalf("after 20s: notice run %v, due reminders run %v", gotNotice, gotReminders)
			}
		}
		got, err := s.FindSession(t.Context(), w.clinic.ID, past.ID)
		must(t, err)
		for _, f := range got.FollowUps {
			if f.Status != "sent" {
				t.Fatalf("follow-up %+v not marked sent by the worker", f)
			}
		}
	}},
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// BenchmarkCreateCheckIn measures CreateCheckIn on s, below consult (one row)
// and at consult (check-in, flag and River job in one transaction).
func BenchmarkCreateCheckIn(b *testing.B, s aftercare.Store) {
	w := build(b, s, "bench")
	for _, level := range []aftercare.Level{aftercare.Monitor, aftercare.Consult} {
		b.Run(level.String(), func(b *testing.B) {
			ctx := b.Context()
			for b.Loop() {
				if _, err := s.CreateCheckIn(ctx, checkIn(w.clinic.ID, w.session.ID, level)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
