package usecase_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"aftercare"
	"aftercare/sqlite"
	"aftercare/triage"
	"aftercare/usecase"
)

const base = "https://aftercare.example"

// clinic is one clinic in a real SQLite store, with its owner's door.
type clinic struct {
	store  *sqlite.Store
	clinic *aftercare.Clinic
	owner  *aftercare.Access
	now    time.Time
}

func newClinic(t *testing.T) *clinic {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := &aftercare.Clinic{Name: "Calm Hands", FollowUpHours: []int{12, 36}}
	if err := st.CreateClinic(ctx, c); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 2, 17, 0, 0, 0, time.UTC)
	return &clinic{store: st, clinic: c, now: now, owner: access(st, c.ID, now, aftercare.RoleScopes(aftercare.RoleOwner)...)}
}

func access(st aftercare.Store, clinicID int64, now time.Time, scopes ...string) *aftercare.Access {
	p := &aftercare.Principal{ClinicID: clinicID, UserID: 1, Role: aftercare.RoleOwner, Scopes: scopes}
	return aftercare.NewAccess(st, p, aftercare.RequestMeta{}, func() time.Time { return now })
}

var engine = func() *triage.Engine {
	e, err := triage.Default()
	if err != nil {
		panic(err)
	}
	return e
}()

func wantError(t *testing.T, err error, code, field string) {
	t.Helper()
	if aftercare.ErrorCode(err) != code {
		t.Fatalf("err %v; want %s", err, code)
	}
	if e := err.(*aftercare.Error); e.Field != field {
		t.Fatalf("err %v names %q; want %q", err, e.Field, field)
	}
}

func (c *clinic) client(t *testing.T) *aftercare.Client {
	t.Helper()
	cl := &aftercare.Client{Name: "Ana Lima"}
	if err := usecase.CreateClient(context.Background(), c.owner, cl, c.now); err != nil {
		t.Fatal(err)
	}
	return cl
}

func (c *clinic) session(t *testing.T, s *aftercare.Session) *aftercare.Session {
	t.Helper()
	if err := usecase.CreateSession(context.Background(), c.owner, s, usecase.Links{BaseURL: base}, c.now); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCreateClient(t *testing.T) {
	ctx := context.Background()
	c := newClinic(t)
	t.Run("a client is stored with the name and email trimmed", func(t *testing.T) {
		cl := &aftercare.Client{Name: "  Ana Lima ", Email: " ana@example.com "}
		if err := usecase.CreateClient(ctx, c.owner, cl, c.now); err != nil {
			t.Fatal(err)
		}
		got, err := c.store.FindClient(ctx, c.clinic.ID, cl.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Ana Lima" || got.Email != "ana@example.com" || !got.CreatedAt.Equal(c.now) {
			t.Errorf("stored %+v", got)
		}
	})
	tests := []struct {
		name, clientName, email, field string
	}{
		{"a client without a name is refused", " ", "", "name"},
		{"a client with a bad email is refused", "Bo", "bo@", "email"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" and nothing is stored", func(t *testing.T) {
			before, _ := c.store.ListClients(ctx, c.clinic.ID)
			err := usecase.CreateClient(ctx, c.owner, &aftercare.Client{Name: tt.clientName, Email: tt.email}, c.now)
			wantError(t, err, aftercare.EINVALID, tt.field)
			if after, _ := c.store.ListClients(ctx, c.clinic.ID); len(after) != len(before) {
				t.Errorf("%d clients, want %d", len(after), len(before))
			}
		})
	}
	t.Run("a door that may only read stores no client", func(t *testing.T) {
		reader := access(c.store, c.clinic.ID, c.now, aftercare.ScopeRead)
		err := usecase.CreateClient(ctx, reader, &aftercare.Client{Name: "Cy"}, c.now)
		if aftercare.ErrorCode(err) != aftercare.EFORBIDDEN {
			t.Errorf("err %v; want forbidden", err)
		}
	})
}

func TestCreateScreening(t *testing.T) {
	ctx := context.Background()
	c := newClinic(t)
	cl := c.client(t)
	t.Run("answers are kept once each, with their cautions", func(t *testing.T) {
		sc := &aftercare.Screening{ClientID: cl.ID, Health: []string{"blood_thinners", "pregnant", "blood_thinners"}, Notes: " on warfarin "}
		if err := usecase.CreateScreening(ctx, c.owner, engine, sc, c.now); err != nil {
			t.Fatal(err)
		}
		if strings.Join(sc.Health, ",") != "blood_thinners,pregnant" || sc.Notes != "on warfarin" {
			t.Errorf("screening %+v", sc)
		}
		if len(sc.Cautions) == 0 || sc.Cautions[0].Health != "blood_thinners" {
			t.Errorf("cautions %+v", sc.Cautions)
		}
		got, _ := c.store.ListScreenings(ctx, c.clinic.ID, cl.ID)
		if len(got) != 1 || len(got[0].Health) != 2 {
			t.Errorf("stored %+v", got)
		}
	})
	t.Run("no answers is a screening with none, and no cautions", func(t *testing.T) {
		sc := &aftercare.Screening{ClientID: cl.ID}
		if err := usecase.CreateScreening(ctx, c.owner, engine, sc, c.now); err != nil {
			t.Fatal(err)
		}
		if sc.Health == nil || sc.Cautions == nil || len(sc.Health)+len(sc.Cautions) != 0 {
			t.Errorf("screening %+v: want empty lists, not nil", sc)
		}
	})
	t.Run("an unknown answer is refused by its place in the list", func(t *testing.T) {
		err := usecase.CreateScreening(ctx, c.owner, engine, &aftercare.Screening{ClientID: cl.ID, Health: []string{"pregnant", "flu"}}, c.now)
		wantError(t, err, aftercare.EINVALID, "health[1]")
	})
}

func TestCreateSession(t *testing.T) {
	ctx := context.Background()
	c := newClinic(t)
	cl := c.client(t)
	t.Run("a session gets the clinic's follow-ups and a link that opens it", func(t *testing.T) {
		s := c.session(t, &aftercare.Session{ClientID: cl.ID, Style: "deep_tissue", AreasWorked: []string{"neck", "calves", "neck"}, Notes: " tight "})
		if len(s.FollowUps) != 2 || s.FollowUps[0].Hours != 12 || !s.FollowUps[1].DueAt.Equal(c.now.Add(36*time.Hour)) {
			t.Errorf("follow-ups %+v", s.FollowUps)
		}
		if strings.Join(s.AreasWorked, ",") != "neck,calves" || s.Notes != "tight" || !s.EndedAt.Equal(c.now) {
			t.Errorf("session %+v", s)
		}
		if !s.LinkExpiresAt.Equal(c.now.Add(usecase.DefaultLinkTTL)) {
			t.Errorf("link expires %v", s.LinkExpiresAt)
		}
		token, ok := strings.CutPrefix(s.CheckInURL, base+"/c/")
		if !ok {
			t.Fatalf("link %q", s.CheckInURL)
		}
		l, err := usecase.OpenLink(ctx, c.store, token, c.now)
		if err != nil {
			t.Fatal(err)
		}
		if l.Session.ID != s.ID || l.Clinic.ID != c.clinic.ID {
			t.Errorf("the link opened session %d of clinic %d", l.Session.ID, l.Clinic.ID)
		}
	})
	refused := []struct {
		name    string
		session aftercare.Session
		code    string
		field   string
	}{
		{"a session ending more than a day ahead is refused", aftercare.Session{ClientID: cl.ID, EndedAt: c.now.Add(25 * time.Hour)}, aftercare.EINVALID, "ended_at"},
		{"a session ending more than a year ago is refused", aftercare.Session{ClientID: cl.ID, EndedAt: c.now.Add(-(aftercare.MaxHours + 1) * time.Hour)}, aftercare.EINVALID, "ended_at"},
		{"an unknown style is refused", aftercare.Session{ClientID: cl.ID, Style: "shiatsu"}, aftercare.EINVALID, "style"},
		{"a client of no clinic's is not found", aftercare.Session{ClientID: cl.ID + 100}, aftercare.ENOTFOUND, "client_id"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.session
			err := usecase.CreateSession(ctx, c.owner, &s, usecase.Links{BaseURL: base}, c.now)
			wantError(t, err, tt.code, tt.field)
		})
	}
}

func TestNewLink(t *testing.T) {
	ctx := context.Background()
	c := newClinic(t)
	cl := c.client(t)
	ttl := 48 * time.Hour
	tests := []struct {
		name  string
		ago   time.Duration
		until time.Duration // after the session's end
	}{
		{"a link of a recent session lasts ttl after the session", time.Hour, ttl},
		{"a link of an old session lasts ttl from now", 30 * 24 * time.Hour, 30*24*time.Hour + ttl},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := c.session(t, &aftercare.Session{ClientID: cl.ID, EndedAt: c.now.Add(-tt.ago)})
			url, expires, err := usecase.NewLink(ctx, c.owner, s, usecase.Links{BaseURL: base + "/", TTL: ttl}, c.now)
			if err != nil {
				t.Fatal(err)
			}
			if !expires.Equal(s.EndedAt.Add(tt.until)) {
				t.Errorf("expires %v; want %v", expires, s.EndedAt.Add(tt.until))
			}
			token, ok := strings.CutPrefix(url, base+"/c/")
			if !ok || usecase.ParseToken(token) != nil {
				t.Fatalf("link %q", url)
			}
			if _, err := usecase.OpenLink(ctx, c.store, token, c.now); err != nil {
				t.Errorf("the new link does not open: %v", err)
			}
		})
	}
	t.Run("a new link retires the session's earlier ones", func(t *testing.T) {
		s := c.session(t, &aftercare.Session{ClientID: cl.ID, EndedAt: c.now.Add(-time.Hour)})
		links := usecase.Links{BaseURL: base, TTL: ttl}
		first, _, err := usecase.NewLink(ctx, c.owner, s, links, c.now)
		if err != nil {
			t.Fatal(err)
		}
		second, _, err := usecase.NewLink(ctx, c.owner, s, links, c.now.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := usecase.OpenLink(ctx, c.store, strings.TrimPrefix(first, base+"/c/"), c.now.Add(2*time.Minute)); aftercare.ErrorCode(err) != aftercare.ENOTFOUND {
			t.Errorf("the old link: err %v; want not found", err)
		}
		if _, err := usecase.OpenLink(ctx, c.store, strings.TrimPrefix(second, base+"/c/"), c.now.Add(2*time.Minute)); err != nil {
			t.Errorf("the new link does not open: %v", err)
		}
	})
	t.Run("a session of no clinic's is not found", func(t *testing.T) {
		_, _, err := usecase.NewLink(ctx, c.owner, &aftercare.Session{ID: 999, EndedAt: c.now}, usecase.Links{BaseURL: base}, c.now)
		wantError(t, err, aftercare.ENOTFOUND, "id")
	})
	t.Run("the jobs add a link through the store of the session's clinic", func(t *testing.T) {
		s := c.session(t, &aftercare.Session{ClientID: cl.ID})
		url, err := usecase.AddLink(ctx, usecase.ClinicStore{Store: c.store, ClinicID: c.clinic.ID}, s, base, c.now.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := usecase.OpenLink(ctx, c.store, strings.TrimPrefix(url, base+"/c/"), c.now); err != nil {
			t.Errorf("the link %q does not open: %v", url, err)
		}
		other := usecase.ClinicStore{Store: c.store, ClinicID: c.clinic.ID + 1}
		if _, err := usecase.AddLink(ctx, other, s, base, c.now.Add(time.Hour)); aftercare.ErrorCode(err) != aftercare.ENOTFOUND {
			t.Errorf("another clinic's store: err %v; want not found", err)
		}
	})
}

func TestRecordCheckInAndAckFlag(t *testing.T) {
	ctx := context.Background()
	c := newClinic(t)
	cl := c.client(t)
	s := c.session(t, &aftercare.Session{ClientID: cl.ID, Style: "swedish", Pressure: "medium", EndedAt: c.now.Add(-30 * time.Hour)})
	sess, err := c.owner.FindSession(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	var flag *aftercare.Flag
	t.Run("expected soreness is stored unflagged, with its hours from the session", func(t *testing.T) {
		ci, f, err := usecase.RecordCheckIn(ctx, c.owner, engine, sess, aftercare.Request{Soreness: []aftercare.Soreness{{Area: "neck", Pain: 3}}}, c.now)
		if err != nil {
			t.Fatal(err)
		}
		if f != nil || ci.Assessment.Level != aftercare.SelfCare || ci.HoursSince != 30 || ci.ID == 0 {
			t.Errorf("check-in %+v, flag %+v", ci, f)
		}
	})
	t.Run("a red flag is stored and flagged for the clinic", func(t *testing.T) {
		_, f, err := usecase.RecordCheckIn(ctx, c.owner, engine, sess, aftercare.Request{Symptoms: []string{"numbness"}}, c.now)
		if err != nil {
			t.Fatal(err)
		}
		if f == nil || f.Level < aftercare.Consult {
			t.Fatalf("flag %+v", f)
		}
		flag = f
	})
	t.Run("acknowledging the flag takes it off the clinic's list", func(t *testing.T) {
		f, err := usecase.AckFlag(ctx, c.owner, flag.ID, usecase.Ack{})
		if err != nil {
			t.Fatal(err)
		}
		if f.AckedAt == nil || f.AckedBy == "" {
			t.Errorf("flag %+v", f)
		}
		if open, _ := c.store.ListFlags(ctx, c.clinic.ID); len(open) != 0 {
			t.Errorf("open flags %+v", open)
		}
	})
	t.Run("a flag of no clinic's is not found", func(t *testing.T) {
		_, err := usecase.AckFlag(ctx, c.owner, flag.ID+100, usecase.Ack{})
		wantError(t, err, aftercare.ENOTFOUND, "id")
	})
}
