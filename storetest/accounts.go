package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"aftercare"
	"aftercare/followup"
)

// staffSession stores a session of user that signed in at signedIn, with the
// lifetimes of aftercare.IdleTimeout and aftercare.SessionLifetime.
func staffSession(t testing.TB, s aftercare.Store, u *aftercare.User, signedIn time.Time) *aftercare.StaffSession {
	t.Helper()
	_, hash := aftercare.NewSecret("ss_")
	ss := &aftercare.StaffSession{ClinicID: u.ClinicID, UserID: u.ID, Hash: hash, Address: "192.0.2.7",
		CreatedAt: signedIn, IdleUntil: signedIn.Add(aftercare.IdleTimeout), ExpiresAt: signedIn.Add(aftercare.SessionLifetime)}
	must(t, s.CreateStaffSession(context.Background(), ss))
	return ss
}

// therapist stores a second staff user of the world's clinic.
func therapist(t testing.TB, s aftercare.Store, w *world) *aftercare.User {
	t.Helper()
	u := &aftercare.User{ClinicID: w.clinic.ID, Email: fmt.Sprintf("therapist-%d@%s.example", w.clinic.ID, w.clinic.Name),
		Role: aftercare.RoleTherapist, PasswordHash: "$argon2id$therapist"}
	must(t, s.CreateUser(context.Background(), u))
	return u
}

var staffTests = []test{
	{name: "a user is found by id in its clinic and not in another", run: func(t *testing.T, s aftercare.Store) {
		a, b := build(t, s, "alpha"), build(t, s, "beta")
		got, err := s.FindUser(t.Context(), a.clinic.ID, a.user.ID)
		must(t, err)
		same(t, "user", got, a.user)
		if got.PasswordHash != a.user.PasswordHash {
			t.Fatalf("password hash = %q, want %q", got.PasswordHash, a.user.PasswordHash)
		}
		_, err = s.FindUser(t.Context(), b.clinic.ID, a.user.ID)
		wantCode(t, err, aftercare.ENOTFOUND)
		_, err = s.FindUser(t.Context(), a.clinic.ID, a.user.ID+1000)
		wantCode(t, err, aftercare.ENOTFOUND)
	}},
	{name: "listing users returns the clinic's staff oldest first and no one of another clinic", run: func(t *testing.T, s aftercare.Store) {
		a, b := build(t, s, "alpha"), build(t, s, "beta")
		second := therapist(t, s, a)
		list, err := s.ListUsers(t.Context(), a.clinic.ID)
		must(t, err)
		same(t, "clinic A's users", list, []*aftercare.User{a.user, second})
		list, err = s.ListUsers(t.Context(), b.clinic.ID)
		must(t, err)
		same(t, "clinic B's users", list, []*aftercare.User{b.user})
		list, err = s.ListUsers(t.Context(), 424242)
		must(t, err)
		if list == nil || len(list) != 0 {
			t.Fatalf("users of an unknown clinic = %#v, want an empty list", list)
		}
	}},
	{name: "setting a password replaces the hash and ends every session of that user and of no one else", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		other := therapist(t, s, w)
		mine := []*aftercare.StaffSession{staffSession(t, s, w.user, base), staffSession(t, s, w.user, base.Add(time.Minute))}
		theirs := staffSession(t, s, other, base)
		must(t, s.SetPassword(t.Context(), w.clinic.ID, w.user.ID, "$argon2id$new"))
		got, err := s.FindUser(t.Context(), w.clinic.ID, w.user.ID)
		must(t, err)
		if got.PasswordHash != "$argon2id$new" {
			t.Fatalf("password hash = %q, want the new one", got.PasswordHash)
		}
		at := base.Add(2 * time.Minute)
		for _, ss := range mine {
			_, err := s.FindStaffSession(t.Context(), ss.Hash, at)
			wantCode(t, err, aftercare.ENOTFOUND)
		}
		if _, err := s.FindStaffSession(t.Context(), theirs.Hash, at); err != nil {
			t.Fatalf("another user's session ended with the password change: %v", err)
		}
	}},
	{name: "setting the password of another clinic's user is not found and changes nothing", run: func(t *testing.T, s aftercare.Store) {
		a, b := build(t, s, "alpha"), build(t, s, "beta")
		ss := staffSession(t, s, a.user, base)
		wantCode(t, s.SetPassword(t.Context(), b.clinic.ID, a.user.ID, "$argon2id$intruder"), aftercare.ENOTFOUND)
		got, err := s.FindUser(t.Context(), a.clinic.ID, a.user.ID)
		must(t, err)
		if got.PasswordHash != a.user.PasswordHash {
			t.Fatalf("password hash = %q, want it unchanged", got.PasswordHash)
		}
		if _, err := s.FindStaffSession(t.Context(), ss.Hash, base.Add(time.Minute)); err != nil {
			t.Fatalf("the user's session ended: %v", err)
		}
		err = s.SetPassword(t.Context(), a.clinic.ID, a.user.ID, "a\x00b")
		wantCode(t, err, aftercare.EINVALID)
	}},
}

var staffSessionTests = []test{
	{name: "a staff session is live or ended as its idle end, its expiry and its deletion say", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		for _, tc := range []struct {
			name string
			// touch, when set, uses the session at this time after sign-in and moves its idle end on.
			touch  time.Duration
			delete bool
			at     time.Duration
			live   bool
		}{
			{name: "a session just signed in is live", at: time.Minute, live: true},
			{name: "a session a moment before its idle end is live", at: aftercare.IdleTimeout - time.Microsecond, live: true},
			{name: "a session at its idle end has ended", at: aftercare.IdleTimeout},
			{name: "a session left idle past its idle end has ended", at: aftercare.IdleTimeout + time.Hour},
			{name: "a session used before its idle end lives past the first idle end",
				touch: aftercare.IdleTimeout - time.Minute, at: aftercare.IdleTimeout + time.Minute, live: true},
			{name: "a session used just before its expiry ends at its expiry all the same",
				touch: aftercare.SessionLifetime - time.Minute, at: aftercare.SessionLifetime},
			{name: "a deleted session has ended", delete: true, at: time.Minute},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ss := staffSession(t, s, w.user, base)
				if tc.touch != 0 {
					// Reach the touch through uses that keep the session alive.
					for used := aftercare.IdleTimeout / 2; used < tc.touch; used += aftercare.IdleTimeout / 2 {
						must(t, s.TouchStaffSession(t.Context(), ss.ID, base.Add(used), base.Add(used+aftercare.IdleTimeout)))
					}
					at := base.Add(tc.touch)
					must(t, s.TouchStaffSession(t.Context(), ss.ID, at, at.Add(aftercare.IdleTimeout)))
				}
				if tc.delete {
					must(t, s.DeleteStaffSession(t.Context(), ss.Hash))
					must(t, s.DeleteStaffSession(t.Context(), ss.Hash))
				}
				at := base.Add(tc.at)
				got, err := s.FindStaffSession(t.Context(), ss.Hash, at)
				if !tc.live {
					wantCode(t, err, aftercare.ENOTFOUND)
					return
				}
				must(t, err)
				if !got.Live(at) || got.ID != ss.ID || got.UserID != w.user.ID || got.ClinicID != w.clinic.ID ||
					got.Address != ss.Address || !got.CreatedAt.Equal(base) || !got.ExpiresAt.Equal(ss.ExpiresAt) {
					t.Fatalf("found session = %+v, want session %d live at %v", got, ss.ID, at)
				}
				same(t, "session's user", got.User, w.user)
				if got.User.PasswordHash != w.user.PasswordHash {
					t.Fatal("the session's user has no password hash")
				}
			})
		}
	}},
	{name: "a stored staff session is found with every field", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		ss := staffSession(t, s, w.user, base)
		if ss.ID == 0 || !ss.LastSeenAt.Equal(base) {
			t.Fatalf("stored session = %+v, want an id and last seen at sign-in", ss)
		}
		got, err := s.FindStaffSession(t.Context(), ss.Hash, base)
		must(t, err)
		want := *ss
		want.User = w.user
		same(t, "staff session", got, &want)
	}},
	{name: "touching a staff session moves its idle end on, never back, and never brings an ended one back", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		ss := staffSession(t, s, w.user, base)
		later := base.Add(20 * time.Minute)
		must(t, s.TouchStaffSession(t.Context(), ss.ID, later, later.Add(aftercare.IdleTimeout)))
		// A request that began earlier finishes last: it moves nothing back.
		must(t, s.TouchStaffSession(t.Context(), ss.ID, base.Add(10*time.Minute), base.Add(10*time.Minute+aftercare.IdleTimeout)))
		got, err := s.FindStaffSession(t.Context(), ss.Hash, later)
		must(t, err)
		if !got.LastSeenAt.Equal(later) || !got.IdleUntil.Equal(later.Add(aftercare.IdleTimeout)) {
			t.Fatalf("touched session last seen %v idle until %v, want %v and %v",
				got.LastSeenAt, got.IdleUntil, later, later.Add(aftercare.IdleTimeout))
		}
		dead := later.Add(aftercare.IdleTimeout + time.Minute)
		wantCode(t, s.TouchStaffSession(t.Context(), ss.ID, dead, dead.Add(aftercare.IdleTimeout)), aftercare.ENOTFOUND)
		_, err = s.FindStaffSession(t.Context(), ss.Hash, dead)
		wantCode(t, err, aftercare.ENOTFOUND)
		wantCode(t, s.TouchStaffSession(t.Context(), ss.ID+1000, base, base.Add(time.Hour)), aftercare.ENOTFOUND)
	}},
	{name: "staff sessions that break the rules are refused", run: func(t *testing.T, s aftercare.Store) {
		a, b := build(t, s, "alpha"), build(t, s, "beta")
		taken := staffSession(t, s, a.user, base)
		for _, tc := range []struct {
			name string
			edit func(*aftercare.StaffSession)
			code string
		}{
			{"a session without a hash is invalid", func(ss *aftercare.StaffSession) { ss.Hash = nil }, aftercare.EINVALID},
			{"a session without an expiry is invalid", func(ss *aftercare.StaffSession) { ss.ExpiresAt = time.Time{} }, aftercare.EINVALID},
			{"a session without an idle end is invalid", func(ss *aftercare.StaffSession) { ss.IdleUntil = time.Time{} }, aftercare.EINVALID},
			{"a session with a hash in use is a conflict", func(ss *aftercare.StaffSession) { ss.Hash = taken.Hash }, aftercare.ECONFLICT},
			{"a session of another clinic's user is not found", func(ss *aftercare.StaffSession) { ss.ClinicID = b.clinic.ID }, aftercare.ENOTFOUND},
			{"a session of an unknown user is not found", func(ss *aftercare.StaffSession) { ss.UserID += 1000 }, aftercare.ENOTFOUND},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, hash := aftercare.NewSecret("ss_")
				ss := &aftercare.StaffSession{ClinicID: a.clinic.ID, UserID: a.user.ID, Hash: hash,
					IdleUntil: base.Add(time.Hour), ExpiresAt: base.Add(2 * time.Hour)}
				tc.edit(ss)
				wantCode(t, s.CreateStaffSession(t.Context(), ss), tc.code)
				if ss.ID != 0 {
					t.Fatalf("refused session got id %d", ss.ID)
				}
			})
		}
	}},
}

var loginFailureTests = []test{
	{name: "sign-in attempts are reserved per key, each with the time of the one before, until cleared", run: func(t *testing.T, s aftercare.Store) {
		ctx := t.Context()
		const key, other = "email:ana@example.com", "addr:192.0.2.1"
		reserve := func(k string, at time.Time) func() (int, time.Time, error) {
			return func() (int, time.Time, error) { return s.ReserveLogin(ctx, k, at) }
		}
		none := func() (int, time.Time, error) { return 0, time.Time{}, nil }
		for _, tc := range []struct {
			name string
			do   func() (int, time.Time, error)
			// want and prev are what do returns; key, stored and last are
			// what is stored under key after it.
			want   int
			prev   time.Time
			key    string
			stored int
			last   time.Time
		}{
			{"a key never tried counts none", none, 0, time.Time{}, key, 0, time.Time{}},
			{"the first attempt counts one and has none before it", reserve(key, base), 1, time.Time{}, key, 1, base},
			{"the second attempt counts two and has the first before it", reserve(key, base.Add(time.Minute)), 2, base, key, 2, base.Add(time.Minute)},
			{"an attempt under another key counts apart", reserve(other, base.Add(time.Hour)), 1, time.Time{}, other, 1, base.Add(time.Hour)},
			{"a late attempt counts without moving the last attempt back", reserve(key, base.Add(30*time.Second)),
				3, base.Add(time.Minute), key, 3, base.Add(time.Minute)},
			{"releasing gives back one attempt", func() (int, time.Time, error) { return 0, time.Time{}, s.ReleaseLogin(ctx, key) },
				0, time.Time{}, key, 2, base.Add(time.Minute)},
			{"clearing forgets every attempt of the key", func() (int, time.Time, error) { return 0, time.Time{}, s.ClearLoginFailures(ctx, key) },
				0, time.Time{}, key, 0, time.Time{}},
			{"clearing a key with none is no error", func() (int, time.Time, error) { return 0, time.Time{}, s.ClearLoginFailures(ctx, key) },
				0, time.Time{}, key, 0, time.Time{}},
			{"releasing a key with none is no error", func() (int, time.Time, error) { return 0, time.Time{}, s.ReleaseLogin(ctx, key) },
				0, time.Time{}, key, 0, time.Time{}},
			{"an attempt after clearing counts one again", reserve(key, base.Add(2*time.Hour)), 1, time.Time{}, key, 1, base.Add(2 * time.Hour)},
			{"releasing the last attempt forgets the key", func() (int, time.Time, error) { return 0, time.Time{}, s.ReleaseLogin(ctx, key) },
				0, time.Time{}, key, 0, time.Time{}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				n, prev, err := tc.do()
				must(t, err)
				if n != tc.want || !prev.Equal(tc.prev) {
					t.Fatalf("returned %d attempts after one at %v, want %d after %v", n, prev, tc.want, tc.prev)
				}
				n, last, err := s.LoginFailures(ctx, tc.key)
				must(t, err)
				if n != tc.stored || !last.Equal(tc.last) {
					t.Fatalf("stored %d attempts under %s, last at %v; want %d at %v", n, tc.key, last, tc.stored, tc.last)
				}
			})
		}
		n, _, err := s.LoginFailures(ctx, other)
		must(t, err)
		if n != 1 {
			t.Fatalf("clearing one key changed another: %d attempts, want 1", n)
		}
	}},
	{name: "concurrent sign-in attempts each get a count of their own", run: func(t *testing.T, s aftercare.Store) {
		const n = 40
		var wg sync.WaitGroup
		counts := make([]int, n)
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() { counts[i], _, errs[i] = s.ReserveLogin(t.Context(), "addr:198.51.100.9", base) })
		}
		wg.Wait()
		for _, err := range errs {
			must(t, err)
		}
		slices.Sort(counts)
		for i, c := range counts {
			if c != i+1 {
				t.Fatalf("counts returned %v, want 1 to %d once each", counts, n)
			}
		}
	}},
	{name: "a sign-in attempt without a key is refused", run: func(t *testing.T, s aftercare.Store) {
		_, _, err := s.ReserveLogin(t.Context(), "", base)
		wantCode(t, err, aftercare.EINVALID)
		wantField(t, err, "key")
	}},
	{name: "places of successful sign-ins are remembered until forgotten", run: func(t *testing.T, s aftercare.Store) {
		ctx := t.Context()
		place, other := sha256.Sum256([]byte("ana@example.com\x00192.0.2.1")), sha256.Sum256([]byte("ana@example.com\x00198.51.100.7"))
		must(t, s.RememberLoginAddress(ctx, place[:], base, base.Add(-time.Hour)))
		for _, tc := range []struct {
			name  string
			hash  []byte
			since time.Time
			want  bool
		}{
			{"a place signed in from is known", place[:], base.Add(-time.Minute), true},
			{"it is known since the very time of the sign-in", place[:], base, true},
			{"it is not known when asked only for later sign-ins", place[:], base.Add(time.Second), false},
			{"another place is not known", other[:], time.Time{}, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := s.KnownLoginAddress(ctx, tc.hash, tc.since)
				must(t, err)
				if got != tc.want {
					t.Fatalf("known %v, want %v", got, tc.want)
				}
			})
		}
		t.Run("remembering another place forgets those last seen before the given time", func(t *testing.T) {
			must(t, s.RememberLoginAddress(ctx, other[:], base.Add(48*time.Hour), base.Add(24*time.Hour)))
			for hash, want := range map[*[32]byte]bool{&place: false, &other: true} {
				got, err := s.KnownLoginAddress(ctx, hash[:], time.Time{})
				must(t, err)
				if got != want {
					t.Fatalf("known %v, want %v", got, want)
				}
			}
		})
		t.Run("a place that is not a SHA-256 is refused naming the field", func(t *testing.T) {
			err := s.RememberLoginAddress(ctx, []byte("192.0.2.1"), base, base)
			wantCode(t, err, aftercare.EINVALID)
			wantField(t, err, "hash")
		})
	}},
}

var disableTests = []test{
	{name: "a disabled user keeps the first time, has no session, and can be enabled again", run: func(t *testing.T, s aftercare.Store) {
		ctx := t.Context()
		a, b := build(t, s, "alpha"), build(t, s, "beta")
		session := func(w *world) []byte {
			_, hash := aftercare.NewSecret("ss_")
			must(t, s.CreateStaffSession(ctx, &aftercare.StaffSession{ClinicID: w.clinic.ID, UserID: w.user.ID, Hash: hash,
				CreatedAt: base, IdleUntil: base.Add(time.Hour), ExpiresAt: base.Add(2 * time.Hour)}))
			return hash
		}
		ours, theirs := session(a), session(b)
		at, later := base.Add(time.Minute), base.Add(time.Hour)
		must(t, s.DisableUser(ctx, a.clinic.ID, a.user.ID, &at))
		must(t, s.DisableUser(ctx, a.clinic.ID, a.user.ID, &later))
		t.Run("the user is disabled at the first time", func(t *testing.T) {
			u, err := s.FindUserByEmail(ctx, a.user.Email)
			must(t, err)
			if u.DisabledAt == nil || !u.DisabledAt.Equal(at) {
				t.Fatalf("disabled at %v, want %v", u.DisabledAt, at)
			}
		})
		t.Run("the user's session ended at once", func(t *testing.T) {
			_, err := s.FindStaffSession(ctx, ours, base.Add(2*time.Minute))
			wantCode(t, err, aftercare.ENOTFOUND)
		})
		t.Run("another clinic's user keeps their session", func(t *testing.T) {
			_, err := s.FindStaffSession(ctx, theirs, base.Add(2*time.Minute))
			must(t, err)
		})
		t.Run("another clinic cannot disable the user", func(t *testing.T) {
			wantCode(t, s.DisableUser(ctx, b.clinic.ID, a.user.ID, &at), aftercare.ENOTFOUND)
		})
		t.Run("a session made while disabled is not found", func(t *testing.T) {
			_, err := s.FindStaffSession(ctx, session(a), base.Add(2*time.Minute))
			wantCode(t, err, aftercare.ENOTFOUND)
		})
		t.Run("enabling the user lets a new session be found", func(t *testing.T) {
			must(t, s.DisableUser(ctx, a.clinic.ID, a.user.ID, nil))
			u, err := s.FindUser(ctx, a.clinic.ID, a.user.ID)
			must(t, err)
			if u.DisabledAt != nil {
				t.Fatalf("enabled user still disabled at %v", u.DisabledAt)
			}
			_, err = s.FindStaffSession(ctx, session(a), base.Add(2*time.Minute))
			must(t, err)
		})
	}},
	{name: "a token keeps its expiry and one without any never expires", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		expires := base.Add(90 * 24 * time.Hour)
		_, hash := aftercare.NewSecret("act_")
		tok := &aftercare.APIToken{ClinicID: w.clinic.ID, Name: "ninety days", Hash: hash, ExpiresAt: &expires}
		must(t, s.CreateToken(t.Context(), tok))
		got, err := s.FindToken(t.Context(), hash)
		must(t, err)
		same(t, "token", got, tok)
		if got.ExpiresAt == nil || !got.ExpiresAt.Equal(expires) || got.Expired(expires.Add(-time.Second)) || !got.Expired(expires) {
			t.Fatalf("token expires at %v, want %v", got.ExpiresAt, expires)
		}
		plain, err := s.FindToken(t.Context(), w.token.Hash)
		must(t, err)
		if plain.ExpiresAt != nil || plain.Expired(base.Add(100*365*24*time.Hour)) {
			t.Fatalf("token made without an expiry expires at %v", plain.ExpiresAt)
		}
		list, err := s.ListTokens(t.Context(), w.clinic.ID)
		must(t, err)
		if len(list) != 2 || list[1].ExpiresAt == nil || !list[1].ExpiresAt.Equal(expires) {
			t.Fatalf("listed tokens %+v, want the second to expire at %v", list, expires)
		}
	}},
}

// entry is an audit entry of clinicID at at.
func entry(clinicID int64, at time.Time, action string) *aftercare.AuditEntry {
	return &aftercare.AuditEntry{ClinicID: clinicID, At: at, Actor: "user:1", Action: action, Object: "client/3",
		ClientID: 3, Outcome: aftercare.OutcomeOK, Address: "192.0.2.1", RequestID: "req-1", Route: "GET /api/v1/clients/{id}"}
}

var auditTests = []test{
	{name: "audit entries are listed per clinic, oldest first by time then id, with every field", run: func(t *testing.T, s aftercare.Store) {
		a, b := build(t, s, "alpha"), build(t, s, "beta")
		ctx := t.Context()
		late := entry(a.clinic.ID, base.Add(time.Hour), aftercare.AuditRead)
		tie1 := entry(a.clinic.ID, base, aftercare.AuditCreate)
		tie2 := entry(a.clinic.ID, base, aftercare.AuditUpdate)
		tie2.Outcome, tie2.Actor, tie2.ClientID, tie2.Object = aftercare.OutcomeDenied, "token:2", 0, ""
		others := entry(b.clinic.ID, base, aftercare.AuditRead)
		anonymous := entry(0, base, aftercare.AuditLoginFailed)
		anonymous.Actor = "anonymous"
		for _, e := range []*aftercare.AuditEntry{late, tie1, tie2, others, anonymous} {
			must(t, s.AppendAudit(ctx, e))
			if e.ID == 0 {
				t.Fatalf("appended entry %+v has no id", e)
			}
		}
		list, err := s.ListAudit(ctx, a.clinic.ID, time.Time{})
		must(t, err)
		same(t, "clinic A's audit log", list, []*aftercare.AuditEntry{tie1, tie2, late})
		list, err = s.ListAudit(ctx, b.clinic.ID, time.Time{})
		must(t, err)
		same(t, "clinic B's audit log", list, []*aftercare.AuditEntry{others})
		list, err = s.ListAudit(ctx, 0, time.Time{})
		must(t, err)
		same(t, "the entries tied to no clinic", list, []*aftercare.AuditEntry{anonymous})
	}},
	{name: "listing the audit log since a time leaves out what came before it", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		var all []*aftercare.AuditEntry
		for i := range 4 {
			e := entry(w.clinic.ID, base.Add(time.Duration(i)*time.Minute), aftercare.AuditRead)
			must(t, s.AppendAudit(t.Context(), e))
			all = append(all, e)
		}
		for _, tc := range []struct {
			name  string
			since time.Time
			want  []*aftercare.AuditEntry
		}{
			{"since the zero time lists every entry", time.Time{}, all},
			{"since an entry's exact time includes it", base.Add(2 * time.Minute), all[2:]},
			{"since a moment after an entry leaves it out", base.Add(2*time.Minute + time.Microsecond), all[3:]},
			{"since after the last entry lists none", base.Add(time.Hour), []*aftercare.AuditEntry{}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				list, err := s.ListAudit(t.Context(), w.clinic.ID, tc.since)
				must(t, err)
				same(t, "audit log", list, tc.want)
			})
		}
	}},
	{name: "an audit entry without an actor, action or outcome is refused", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		for _, edit := range []func(*aftercare.AuditEntry){
			func(e *aftercare.AuditEntry) { e.Actor = "" },
			func(e *aftercare.AuditEntry) { e.Action = " " },
			func(e *aftercare.AuditEntry) { e.Outcome = "" },
			func(e *aftercare.AuditEntry) { e.Route = "a\x00b" },
		} {
			e := entry(w.clinic.ID, base, aftercare.AuditRead)
			edit(e)
			wantCode(t, s.AppendAudit(t.Context(), e), aftercare.EINVALID)
		}
	}},
	{name: "an audit entry without a clinic is kept with no clinic", runRaw: func(t *testing.T, s aftercare.Store, db *raw) {
		e := entry(0, base, aftercare.AuditDenied)
		e.ClientID = 0
		must(t, s.AppendAudit(t.Context(), e))
		if n := db.int(t, `SELECT count(*) FROM audit_log WHERE id = %d AND clinic_id IS NULL AND client_id IS NULL`, e.ID); n != 1 {
			t.Fatalf("entry %d is not stored with a NULL clinic and client", e.ID)
		}
	}},
	{name: "the database refuses to change or delete an audit entry", runRaw: func(t *testing.T, s aftercare.Store, db *raw) {
		w := build(t, s, "alpha")
		e := entry(w.clinic.ID, base, aftercare.AuditRead)
		must(t, s.AppendAudit(t.Context(), e))
		for _, tc := range []struct{ name, query string }{
			{"an update of one entry is refused", fmt.Sprintf(`UPDATE audit_log SET actor = 'forger' WHERE id = %d`, e.ID)},
			{"an update of every entry is refused", `UPDATE audit_log SET outcome = 'ok'`},
			{"a delete of one entry is refused", fmt.Sprintf(`DELETE FROM audit_log WHERE id = %d`, e.ID)},
			{"a delete of every entry is refused", `DELETE FROM audit_log`},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := db.exec(t, "%s", tc.query)
				if err == nil {
					t.Fatalf("%s: no error, want the database to refuse it", tc.query)
				}
				if !strings.Contains(err.Error(), "append-only") {
					t.Fatalf("%s: %v, want the append-only trigger's refusal", tc.query, err)
				}
				list, err := s.ListAudit(t.Context(), w.clinic.ID, time.Time{})
				must(t, err)
				same(t, "audit log", list, []*aftercare.AuditEntry{e})
			})
		}
	}},
}

var tokenScopeTests = []test{
	{name: "token scopes are kept and a token without any gets the default ones", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		if !slices.Equal(w.token.Scopes, aftercare.DefaultTokenScopes) {
			t.Fatalf("token created without scopes has %v, want %v", w.token.Scopes, aftercare.DefaultTokenScopes)
		}
		for _, scopes := range [][]string{{aftercare.ScopeRead}, {aftercare.ScopeExport, aftercare.ScopeErase, aftercare.ScopeRead}, aftercare.Scopes} {
			_, hash := aftercare.NewSecret("act_")
			tok := &aftercare.APIToken{ClinicID: w.clinic.ID, Name: strings.Join(scopes, "+"), Hash: hash, Scopes: slices.Clone(scopes)}
			must(t, s.CreateToken(t.Context(), tok))
			got, err := s.FindToken(t.Context(), hash)
			must(t, err)
			if !slices.Equal(got.Scopes, scopes) {
				t.Fatalf("found token scopes %v, want %v", got.Scopes, scopes)
			}
			same(t, "token", got, tok)
		}
		got, err := s.FindToken(t.Context(), w.token.Hash)
		must(t, err)
		same(t, "default token", got, w.token)
	}},
	{name: "a token with an unknown scope is refused naming the field", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		_, hash := aftercare.NewSecret("act_")
		err := s.CreateToken(t.Context(), &aftercare.APIToken{ClinicID: w.clinic.ID, Name: "root", Hash: hash,
			Scopes: []string{aftercare.ScopeRead, "admin"}})
		wantCode(t, err, aftercare.EINVALID)
		wantField(t, err, "scopes")
	}},
	{name: "listing tokens returns the clinic's tokens oldest first, revoked ones included, and no other clinic's", run: func(t *testing.T, s aftercare.Store) {
		a, b := build(t, s, "alpha"), build(t, s, "beta")
		_, hash := aftercare.NewSecret("act_")
		second := &aftercare.APIToken{ClinicID: a.clinic.ID, Name: "exports", Hash: hash, Scopes: []string{aftercare.ScopeExport}}
		must(t, s.CreateToken(t.Context(), second))
		revokedAt := base.Add(time.Hour)
		must(t, s.RevokeToken(t.Context(), a.clinic.ID, a.token.ID, revokedAt))
		must(t, s.TouchToken(t.Context(), second.ID, base.Add(time.Minute)))
		list, err := s.ListTokens(t.Context(), a.clinic.ID)
		must(t, err)
		first := *a.token
		first.RevokedAt = &revokedAt
		used := *second
		lastUsed := base.Add(time.Minute)
		used.LastUsedAt = &lastUsed
		same(t, "clinic A's tokens", list, []*aftercare.APIToken{&first, &used})
		list, err = s.ListTokens(t.Context(), b.clinic.ID)
		must(t, err)
		same(t, "clinic B's tokens", list, []*aftercare.APIToken{b.token})
	}},
}

// client is one client of a world with everything held on them.
type held struct {
	client    *aftercare.Client
	sessions  []*aftercare.Session
	links     [][]byte
	flags     []*aftercare.Flag
	screening *aftercare.Screening
}

// fill gives a client a screening, a second session and check-ins on both
// sessions, one of them flagged; first is the client's session so far, if any.
func fill(t testing.TB, s aftercare.Store, clinicID int64, c *aftercare.Client, first *aftercare.Session, firstLink []byte) *held {
	t.Helper()
	ctx := context.Background()
	h := &held{client: c}
	if first != nil {
		h.sessions, h.links = append(h.sessions, first), append(h.links, firstLink)
	}
	se, link := newSession(t, s, clinicID, c.ID, base.Add(-72*time.Hour))
	h.sessions, h.links = append(h.sessions, se), append(h.links, link)
	h.screening = &aftercare.Screening{ClinicID: clinicID, ClientID: c.ID, Health: []string{"pregnancy"}}
	must(t, s.CreateScreening(ctx, h.screening))
	for _, se := range h.sessions {
		_, err := s.CreateCheckIn(ctx, checkIn(clinicID, se.ID, aftercare.SelfCare))
		must(t, err)
	}
	f, err := s.CreateCheckIn(ctx, checkIn(clinicID, se.ID, aftercare.Urgent))
	must(t, err)
	h.flags = append(h.flags, f)
	_, hash := aftercare.NewSecret("link_")
	must(t, s.CreateLink(ctx, clinicID, se.ID, hash, base.Add(time.Hour)))
	h.links = append(h.links, hash)
	return h
}

// sessionIDs returns the ids of sessions.
func sessionIDs(ss []*aftercare.Session) []int64 {
	var ids []int64
	for _, se := range ss {
		ids = append(ids, se.ID)
	}
	return ids
}

// jobsOf counts the reminder jobs of sessions and the notice jobs of flags.
func jobsOf(t testing.TB, s aftercare.Store, sessions []int64, flags []*aftercare.Flag) (reminders, notices int) {
	t.Helper()
	_, rs := jobs[followup.ReminderArgs](t, s)
	for _, r := range rs {
		if slices.Contains(sessions, r.SessionID) {
			reminders++
		}
	}
	_, ns := jobs[followup.FlagArgs](t, s)
	for _, n := range ns {
		for _, f := range flags {
			if n.FlagID == f.ID {
				notices++
			}
		}
	}
	return reminders, notices
}

// erasureWorld is a clinic A with the client to erase and another client, and a
// clinic B, each with sessions, check-ins, flags, screenings and links.
type erasureWorld struct {
	a, b             *world
	gone, kept, beta *held
}

func buildErasure(t testing.TB, s aftercare.Store) *erasureWorld {
	t.Helper()
	e := &erasureWorld{a: build(t, s, "alpha"), b: build(t, s, "beta")}
	e.gone = fill(t, s, e.a.clinic.ID, e.a.client, e.a.session, e.a.linkHash)
	other := &aftercare.Client{ClinicID: e.a.clinic.ID, Name: "Bo Kept"}
	must(t, s.CreateClient(context.Background(), other))
	e.kept = fill(t, s, e.a.clinic.ID, other, nil, nil)
	e.beta = fill(t, s, e.b.clinic.ID, e.b.client, e.b.session, e.b.linkHash)
	return e
}

// snapshot is what the store shows of one held client.
func snapshot(t testing.TB, s aftercare.Store, clinicID int64, h *held) []any {
	t.Helper()
	ctx := context.Background()
	c, err := s.FindClient(ctx, clinicID, h.client.ID)
	must(t, err)
	ss, err := s.ListSessions(ctx, clinicID, h.client.ID)
	must(t, err)
	sc, err := s.ListScreenings(ctx, clinicID, h.client.ID)
	must(t, err)
	fs, err := s.ListClientFlags(ctx, clinicID, h.client.ID)
	must(t, err)
	return []any{c, ss, sc, fs}
}

var erasureTests = []test{
	{name: "erasing a client removes everything held on them and nothing of another client or clinic", run: func(t *testing.T, s aftercare.Store) {
		e := buildErasure(t, s)
		ctx := t.Context()
		A := e.a.clinic.ID
		audit := entry(A, base, aftercare.AuditRead)
		audit.ClientID = e.gone.client.ID
		must(t, s.AppendAudit(ctx, audit))
		keptBefore, betaBefore := snapshot(t, s, A, e.kept), snapshot(t, s, e.b.clinic.ID, e.beta)
		if r, n := jobsOf(t, s, sessionIDs(e.gone.sessions), e.gone.flags); r != 4 || n != 1 {
			t.Fatalf("before erasure the client has %d reminder and %d notice jobs, want 4 and 1", r, n)
		}

		must(t, s.EraseClient(ctx, A, e.gone.client.ID))

		for _, tc := range []struct {
			name string
			call func() error
		}{
			{"the client is not found", func() error { _, err := s.FindClient(ctx, A, e.gone.client.ID); return err }},
			{"the client's screenings are not found", func() error { _, err := s.ListScreenings(ctx, A, e.gone.client.ID); return err }},
			{"the client's sessions are not listed", func() error { _, err := s.ListSessions(ctx, A, e.gone.client.ID); return err }},
			{"the client's flags are not listed", func() error { _, err := s.ListClientFlags(ctx, A, e.gone.client.ID); return err }},
			{"the client's first session is not found", func() error { _, err := s.FindSession(ctx, A, e.gone.sessions[0].ID); return err }},
			{"the client's second session is not found", func() error { _, err := s.FindSession(ctx, A, e.gone.sessions[1].ID); return err }},
			{"the client's flag is not found", func() error { _, err := s.FindFlag(ctx, A, e.gone.flags[0].ID); return err }},
			{"the client's first link opens nothing", func() error { _, err := s.FindSessionByLink(ctx, e.gone.links[0], base); return err }},
			{"the client's last link opens nothing", func() error { _, err := s.FindSessionByLink(ctx, e.gone.links[2], base); return err }},
			{"erasing the client again is not found", func() error { return s.EraseClient(ctx, A, e.gone.client.ID) }},
		} {
			t.Run(tc.name, func(t *testing.T) { wantCode(t, tc.call(), aftercare.ENOTFOUND) })
		}
		if r, n := jobsOf(t, s, sessionIDs(e.gone.sessions), e.gone.flags); r != 0 || n != 0 {
			t.Fatalf("after erasure the client has %d reminder and %d notice jobs, want none", r, n)
		}

		same(t, "the other client of the clinic", snapshot(t, s, A, e.kept), keptBefore)
		same(t, "the other clinic's client", snapshot(t, s, e.b.clinic.ID, e.beta), betaBefore)
		for _, h := range []*held{e.kept, e.beta} {
			if r, n := jobsOf(t, s, sessionIDs(h.sessions), h.flags); r != 2*len(h.sessions) || n != 1 {
				t.Fatalf("client %q kept %d reminder and %d notice jobs, want %d and 1", h.client.Name, r, n, 2*len(h.sessions))
			}
			if _, err := s.FindSessionByLink(ctx, h.links[len(h.links)-1], base); err != nil {
				t.Fatalf("client %q's link: %v", h.client.Name, err)
			}
		}
		flags, err := s.ListFlags(ctx, A)
		must(t, err)
		same(t, "clinic A's open flags", flags, e.kept.flags)
		log, err := s.ListAudit(ctx, A, time.Time{})
		must(t, err)
		same(t, "clinic A's audit log", log, []*aftercare.AuditEntry{audit})
	}},
	{name: "erasing another clinic's client is not found and erases nothing", run: func(t *testing.T, s aftercare.Store) {
		e := buildErasure(t, s)
		before := snapshot(t, s, e.a.clinic.ID, e.gone)
		wantCode(t, s.EraseClient(t.Context(), e.b.clinic.ID, e.gone.client.ID), aftercare.ENOTFOUND)
		wantCode(t, s.EraseClient(t.Context(), e.a.clinic.ID, 424242), aftercare.ENOTFOUND)
		same(t, "the client", snapshot(t, s, e.a.clinic.ID, e.gone), before)
		if r, n := jobsOf(t, s, sessionIDs(e.gone.sessions), e.gone.flags); r != 4 || n != 1 {
			t.Fatalf("the client has %d reminder and %d notice jobs, want 4 and 1", r, n)
		}
	}},
	{name: "erasing a client leaves no row of theirs in any table", runRaw: func(t *testing.T, s aftercare.Store, db *raw) {
		e := buildErasure(t, s)
		ids := strings.Trim(strings.Join(strings.Fields(fmt.Sprint(sessionIDs(e.gone.sessions))), ","), "[]")
		queries := map[string]string{
			"clients":       fmt.Sprintf(`SELECT count(*) FROM clients WHERE id = %d`, e.gone.client.ID),
			"screenings":    fmt.Sprintf(`SELECT count(*) FROM screenings WHERE client_id = %d`, e.gone.client.ID),
			"sessions":      fmt.Sprintf(`SELECT count(*) FROM sessions WHERE client_id = %d`, e.gone.client.ID),
			"session_links": `SELECT count(*) FROM session_links WHERE session_id IN (` + ids + `)`,
			"follow_ups":    `SELECT count(*) FROM follow_ups WHERE session_id IN (` + ids + `)`,
			"check_ins":     `SELECT count(*) FROM check_ins WHERE session_id IN (` + ids + `)`,
			"flags":         fmt.Sprintf(`SELECT count(*) FROM flags WHERE id = %d`, e.gone.flags[0].ID),
		}
		for table, q := range queries {
			if n := db.int(t, "%s", q); n == 0 {
				t.Fatalf("before erasure %s holds nothing of the client", table)
			}
		}
		total := db.int(t, `SELECT count(*) FROM check_ins`)
		must(t, s.EraseClient(t.Context(), e.a.clinic.ID, e.gone.client.ID))
		for table, q := range queries {
			if n := db.int(t, "%s", q); n != 0 {
				t.Errorf("after erasure %s holds %d rows of the client", table, n)
			}
		}
		if n := db.int(t, `SELECT count(*) FROM check_ins`); n != total-3 {
			t.Fatalf("%d check-ins left of %d, want only the client's 3 gone", n, total)
		}
	}},
	{name: "erasing a client leaves a reminder job that is running to cancel itself", runRaw: func(t *testing.T, s aftercare.Store, db *raw) {
		w := build(t, s, "alpha")
		rows, args := jobs[followup.ReminderArgs](t, s)
		var running int64
		for i, a := range args {
			if a.SessionID == w.session.ID && a.Hours == 24 {
				running = rows[i].ID
			}
		}
		must(t, db.exec(t, `UPDATE river_job SET state = 'running' WHERE id = %d`, running))
		must(t, s.EraseClient(t.Context(), w.clinic.ID, w.client.ID))
		rows, _ = jobs[followup.ReminderArgs](t, s)
		if len(rows) != 1 || rows[0].ID != running {
			t.Fatalf("reminder jobs left %+v, want only the running one, %d", rows, running)
		}
	}},
}

var idempotencyTests = []test{
	{name: "a retried check-in with the same key returns the first, marked replayed, and stores nothing new", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		ctx := t.Context()
		// A retry below consult and one above take different paths in a
		// store; each must find a first check-in, flagged or not.
		for _, tc := range []struct {
			name         string
			level, retry aftercare.Level
		}{
			{"a flagged check-in replays with its flag to a retry above consult", aftercare.Urgent, aftercare.Emergency},
			{"a flagged check-in replays with its flag to a retry below consult", aftercare.Urgent, aftercare.SelfCare},
			{"a check-in below consult replays without a flag to a retry above consult", aftercare.Monitor, aftercare.Emergency},
			{"a check-in below consult replays without a flag to a retry below consult", aftercare.Monitor, aftercare.SelfCare},
		} {
			t.Run(tc.name, func(t *testing.T) {
				key := "key-" + tc.level.String() + "-" + tc.retry.String()
				first := checkIn(w.clinic.ID, w.session.ID, tc.level)
				first.IdempotencyKey, first.CreatedAt = key, base.Add(time.Hour)
				first.RequestHash = bytes.Repeat([]byte{'f'}, 32)
				firstFlag, err := s.CreateCheckIn(ctx, first)
				must(t, err)
				if first.Replayed {
					t.Fatal("a first check-in is marked replayed")
				}
				_, noticesBefore := jobs[followup.FlagArgs](t, s)

				retry := checkIn(w.clinic.ID, w.session.ID, tc.retry)
				retry.IdempotencyKey, retry.CreatedAt, retry.HoursSince = key, base.Add(2*time.Hour), 99
				retry.Request.Text = "a retry that differs"
				retry.RequestHash = bytes.Repeat([]byte{'r'}, 32)
				flag, err := s.CreateCheckIn(ctx, retry)
				must(t, err)
				if !bytes.Equal(retry.RequestHash, first.RequestHash) {
					t.Fatalf("the replay's request hash is %q, want the first check-in's %q", retry.RequestHash, first.RequestHash)
				}
				if !retry.Replayed || retry.ID != first.ID || retry.IdempotencyKey != key || retry.HoursSince != first.HoursSince ||
					!retry.CreatedAt.Equal(first.CreatedAt) || retry.ClinicID != first.ClinicID || retry.SessionID != first.SessionID {
					t.Fatalf("retry = %+v, want the first check-in %d replayed", retry, first.ID)
				}
				same(t, "replayed check-in", retry, first)
				if (flag != nil) != (tc.level >= aftercare.Consult) {
					t.Fatalf("replayed flag %+v for a first check-in at %s", flag, tc.level)
				}
				same(t, "replayed flag", flag, firstFlag)
				_, noticesAfter := jobs[followup.FlagArgs](t, s)
				if len(noticesAfter) != len(noticesBefore) {
					t.Fatalf("%d flag notices after the retry, want %d", len(noticesAfter), len(noticesBefore))
				}
			})
		}
		got, err := s.FindSession(ctx, w.clinic.ID, w.session.ID)
		must(t, err)
		flags, err := s.ListFlags(ctx, w.clinic.ID)
		must(t, err)
		if len(got.CheckIns) != 4 || len(flags) != 2 {
			t.Fatalf("%d check-ins and %d flags stored, want 4 and 2", len(got.CheckIns), len(flags))
		}
	}},
	{name: "the same key on another session or no key at all stores a new check-in", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		ctx := t.Context()
		other, _ := newSession(t, s, w.clinic.ID, w.client.ID, base.Add(-time.Hour))
		for _, tc := range []struct {
			name    string
			session int64
			key     string
		}{
			{"a keyed check-in is stored", w.session.ID, "same-key"},
			{"the same key on another session is a new check-in", other.ID, "same-key"},
			{"a check-in without a key is stored", w.session.ID, ""},
			{"a second check-in without a key is stored too", w.session.ID, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := checkIn(w.clinic.ID, tc.session, aftercare.SelfCare)
				c.IdempotencyKey = tc.key
				_, err := s.CreateCheckIn(ctx, c)
				must(t, err)
				if c.Replayed || c.ID == 0 {
					t.Fatalf("check-in = %+v, want a new one", c)
				}
			})
		}
		for _, tc := range []struct {
			session int64
			want    int
		}{{w.session.ID, 3}, {other.ID, 1}} {
			got, err := s.FindSession(ctx, w.clinic.ID, tc.session)
			must(t, err)
			if len(got.CheckIns) != tc.want {
				t.Fatalf("session %d has %d check-ins, want %d", tc.session, len(got.CheckIns), tc.want)
			}
		}
	}},
	{name: "eight concurrent check-ins with the same key store one, and every caller gets it", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		const n = 8
		var wg sync.WaitGroup
		got := make([]*aftercare.CheckIn, n)
		flags := make([]*aftercare.Flag, n)
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				c := checkIn(w.clinic.ID, w.session.ID, aftercare.Consult)
				c.IdempotencyKey = "double-click"
				flags[i], errs[i] = s.CreateCheckIn(t.Context(), c)
				got[i] = c
			})
		}
		wg.Wait()
		replayed := 0
		for i := range n {
			must(t, errs[i])
			if got[i].ID != got[0].ID || flags[i] == nil || flags[i].ID != flags[0].ID {
				t.Fatalf("caller %d got check-in %d flag %+v, caller 0 check-in %d flag %+v",
					i, got[i].ID, flags[i], got[0].ID, flags[0])
			}
			if got[i].Replayed {
				replayed++
			}
		}
		if replayed != n-1 {
			t.Fatalf("%d callers got a replay, want %d", replayed, n-1)
		}
		se, err := s.FindSession(t.Context(), w.clinic.ID, w.session.ID)
		must(t, err)
		open, err := s.ListFlags(t.Context(), w.clinic.ID)
		must(t, err)
		notices, _ := jobs[followup.FlagArgs](t, s)
		if len(se.CheckIns) != 1 || len(open) != 1 || len(notices) != 1 {
			t.Fatalf("%d check-ins, %d flags and %d notices stored, want one each", len(se.CheckIns), len(open), len(notices))
		}
	}},
	{name: "an idempotency key too long or holding a NUL character is refused naming the field", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		for _, key := range []string{strings.Repeat("k", aftercare.MaxIdempotencyKeyBytes+1), "a\x00b"} {
			c := checkIn(w.clinic.ID, w.session.ID, aftercare.SelfCare)
			c.IdempotencyKey = key
			_, err := s.CreateCheckIn(t.Context(), c)
			wantCode(t, err, aftercare.EINVALID)
			wantField(t, err, "idempotency_key")
		}
		c := checkIn(w.clinic.ID, w.session.ID, aftercare.SelfCare)
		c.IdempotencyKey = strings.Repeat("k", aftercare.MaxIdempotencyKeyBytes)
		_, err := s.CreateCheckIn(t.Context(), c)
		must(t, err)
	}},
	{name: "a check-in below consult on another clinic's session or an unknown one is not found, with or without a key, and stores nothing", run: func(t *testing.T, s aftercare.Store) {
		a, b := build(t, s, "alpha"), build(t, s, "beta")
		ctx := t.Context()
		used := checkIn(a.clinic.ID, a.session.ID, aftercare.Monitor)
		used.IdempotencyKey = "shared"
		_, err := s.CreateCheckIn(ctx, used)
		must(t, err)
		for _, tc := range []struct {
			name            string
			clinic, session int64
			key             string
			level           aftercare.Level
		}{
			{"another clinic's session under a key that session used", b.clinic.ID, a.session.ID, "shared", aftercare.SelfCare},
			{"another clinic's session under a new key", b.clinic.ID, a.session.ID, "new", aftercare.Monitor},
			{"another clinic's session without a key", b.clinic.ID, a.session.ID, "", aftercare.SelfCare},
			{"an unknown session under a key", a.clinic.ID, a.session.ID + 1000, "shared", aftercare.Monitor},
			{"an unknown session without a key", a.clinic.ID, a.session.ID + 1000, "", aftercare.SelfCare},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := checkIn(tc.clinic, tc.session, tc.level)
				c.IdempotencyKey = tc.key
				flag, err := s.CreateCheckIn(ctx, c)
				wantCode(t, err, aftercare.ENOTFOUND)
				if flag != nil || c.ID != 0 || c.Replayed {
					t.Fatalf("refused check-in = %+v with flag %+v", c, flag)
				}
			})
		}
		for _, w := range []*world{a, b} {
			got, err := s.FindSession(ctx, w.clinic.ID, w.session.ID)
			must(t, err)
			want := 0
			if w == a {
				want = 1
			}
			if len(got.CheckIns) != want {
				t.Fatalf("clinic %s's session has %d check-ins, want %d", w.clinic.Name, len(got.CheckIns), want)
			}
		}
	}},
	{name: "concurrent check-ins under one key, some below consult and some above, store one, and every caller gets it and its flag", run: func(t *testing.T, s aftercare.Store) {
		// Callers below consult and callers at consult race on the same key:
		// whichever stores first, every caller gets its check-in, and a flag
		// and a notice exist only if that one was at consult.
		w := build(t, s, "alpha")
		const rounds, n = 4, 8
		flagged := 0
		for round := range rounds {
			got := make([]*aftercare.CheckIn, n)
			flags := make([]*aftercare.Flag, n)
			errs := make([]error, n)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range n {
				level := aftercare.Monitor
				if (i+round)%2 == 1 {
					level = aftercare.Consult
				}
				got[i] = checkIn(w.clinic.ID, w.session.ID, level)
				got[i].IdempotencyKey = fmt.Sprintf("race-%d", round)
				wg.Go(func() {
					<-start
					flags[i], errs[i] = s.CreateCheckIn(t.Context(), got[i])
				})
			}
			close(start)
			wg.Wait()
			winner := -1
			for i := range n {
				must(t, errs[i])
				if !got[i].Replayed {
					if winner >= 0 {
						t.Fatalf("round %d: callers %d and %d both stored a check-in", round, winner, i)
					}
					winner = i
				}
			}
			if winner < 0 {
				t.Fatalf("round %d: every caller got a replay, none stored the check-in", round)
			}
			wantFlag := got[winner].Assessment.Level >= aftercare.Consult
			if wantFlag {
				flagged++
			}
			for i := range n {
				if got[i].ID != got[winner].ID || got[i].Assessment.Level != got[winner].Assessment.Level {
					t.Fatalf("round %d: caller %d got check-in %d at %s, the stored one is %d at %s", round, i,
						got[i].ID, got[i].Assessment.Level, got[winner].ID, got[winner].Assessment.Level)
				}
				if (flags[i] != nil) != wantFlag || (wantFlag && flags[i].ID != flags[winner].ID) {
					t.Fatalf("round %d: caller %d got flag %+v, the stored check-in's is %+v", round, i, flags[i], flags[winner])
				}
			}
		}
		se, err := s.FindSession(t.Context(), w.clinic.ID, w.session.ID)
		must(t, err)
		open, err := s.ListFlags(t.Context(), w.clinic.ID)
		must(t, err)
		notices, _ := jobs[followup.FlagArgs](t, s)
		if len(se.CheckIns) != rounds || len(open) != flagged || len(notices) != flagged {
			t.Fatalf("%d check-ins, %d flags and %d notices stored, want %d, %d and %d",
				len(se.CheckIns), len(open), len(notices), rounds, flagged, flagged)
		}
	}},
	{name: "a key used on another clinic's session replays nothing of it", run: func(t *testing.T, s aftercare.Store) {
		a, b := build(t, s, "alpha"), build(t, s, "beta")
		c := checkIn(a.clinic.ID, a.session.ID, aftercare.Consult)
		c.IdempotencyKey = "shared"
		_, err := s.CreateCheckIn(t.Context(), c)
		must(t, err)
		intruder := checkIn(b.clinic.ID, a.session.ID, aftercare.Consult)
		intruder.IdempotencyKey = "shared"
		_, err = s.CreateCheckIn(t.Context(), intruder)
		wantCode(t, err, aftercare.ENOTFOUND)
		if intruder.ID != 0 || intruder.Replayed {
			t.Fatalf("another clinic's retry got %+v", intruder)
		}
	}},
}

var clientFlagTests = []test{
	{name: "a client's flags include acknowledged ones and only that client's, oldest first", run: func(t *testing.T, s aftercare.Store) {
		a, b := build(t, s, "alpha"), build(t, s, "beta")
		ctx := t.Context()
		var mine []*aftercare.Flag
		for i, level := range []aftercare.Level{aftercare.Urgent, aftercare.Consult} {
			c := checkIn(a.clinic.ID, a.session.ID, level)
			c.CreatedAt = base.Add(time.Duration(2-i) * time.Hour) // the second is the older
			f, err := s.CreateCheckIn(ctx, c)
			must(t, err)
			mine = append(mine, f)
		}
		acked, err := s.AckFlag(ctx, a.clinic.ID, mine[0].ID, aftercare.FlagAck{By: "owner@alpha.example", At: base.Add(3 * time.Hour)})
		must(t, err)
		other := &aftercare.Client{ClinicID: a.clinic.ID, Name: "Bo"}
		must(t, s.CreateClient(ctx, other))
		otherSession, _ := newSession(t, s, a.clinic.ID, other.ID, base)
		_, err = s.CreateCheckIn(ctx, checkIn(a.clinic.ID, otherSession.ID, aftercare.Emergency))
		must(t, err)
		_, err = s.CreateCheckIn(ctx, checkIn(b.clinic.ID, b.session.ID, aftercare.Emergency))
		must(t, err)

		for _, tc := range []struct {
			name     string
			clinicID int64
			clientID int64
			want     []*aftercare.Flag
			code     string
		}{
			{"the client's flags are listed, acknowledged ones included", a.clinic.ID, a.client.ID, []*aftercare.Flag{mine[1], acked}, ""},
			{"the client from another clinic is not found", b.clinic.ID, a.client.ID, nil, aftercare.ENOTFOUND},
			{"an unknown client is not found", a.clinic.ID, 424242, nil, aftercare.ENOTFOUND},
		} {
			t.Run(tc.name, func(t *testing.T) {
				list, err := s.ListClientFlags(ctx, tc.clinicID, tc.clientID)
				if tc.code != "" {
					wantCode(t, err, tc.code)
					return
				}
				must(t, err)
				same(t, "client's flags", list, tc.want)
			})
		}
		none := &aftercare.Client{ClinicID: a.clinic.ID, Name: "Cy"}
		must(t, s.CreateClient(ctx, none))
		list, err := s.ListClientFlags(ctx, a.clinic.ID, none.ID)
		must(t, err)
		if list == nil || len(list) != 0 {
			t.Fatalf("flags of a client without any = %#v, want an empty list", list)
		}
	}},
}
