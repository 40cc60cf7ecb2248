package followup_test

import (
	"aftercare/keyring"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"aftercare"
	"aftercare/followup"
	"aftercare/sqlite"
	"aftercare/usecase"
)

const baseURL = "http://127.0.0.1:8080"

// env is a clinic in a real SQLite store, a real SMTP server and a webhook
// receiver, with the follow-up workers run by River.
type env struct {
	ctx     context.Context
	store   *sqlite.Store
	mail    *mailpit
	hooks   *webhookRecorder
	clinic  *aftercare.Clinic
	now     time.Time
	metrics *prometheus.Registry
	logs    *syncBuffer
	// secret is the clinic's webhook secret; the store holds it sealed with ring.
	secret string
	ring   *keyring.Keyring
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{ctx: ctx, now: time.Now().UTC(), metrics: prometheus.NewRegistry(), logs: &syncBuffer{}}
	e.mail = startMailpit(t)
	store, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := store.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
		if t.Failed() {
			t.Logf("worker logs:\n%s", e.logs.String())
		}
	})
	e.store = store
	hooks, srv := newWebhookRecorder(t)
	e.hooks = hooks
	e.secret, _ = aftercare.NewSecret("whsec_")
	line, _ := keyring.NewKey("k1")
	if e.ring, err = keyring.Parse(line); err != nil {
		t.Fatal(err)
	}
	sealed, err := e.ring.Seal(e.secret, keyring.PurposeWebhookSecret)
	if err != nil {
		t.Fatal(err)
	}
	e.clinic = &aftercare.Clinic{
		Name:            "Harbour Massage",
		EmergencyNumber: "999",
		NotifyEmail:     "desk@harbour.test",
		WebhookURL:      srv.URL + "/aftercare",
		WebhookSecret:   sealed,
	}
	if err := store.CreateClinic(ctx, e.clinic); err != nil {
		t.Fatal(err)
	}
	return e
}

// start runs the follow-up workers until the test ends.
func (e *env) start(t *testing.T) {
	t.Helper()
	mailer, err := followup.NewMailer(followup.MailConfig{
		Host: e.mail.SMTPHost, Port: e.mail.SMTPPort, From: "Harbour Massage <aftercare@harbour.test>", TLS: "none",
	})
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	workers := followup.Workers(followup.Deps{
		Keyring: e.ring,
		Store:   e.store,
		Mailer:  mailer,
		BaseURL: baseURL,
		Now:     func() time.Time { return e.now },
		Logger:  logger,
		Metrics: e.metrics,
	})
	stop, err := e.store.Work(e.ctx, workers, logger)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := stop(ctx); err != nil {
			t.Errorf("stop workers: %v", err)
		}
	})
}

func (e *env) newClient(t *testing.T, name, email string) *aftercare.Client {
	t.Helper()
	c := &aftercare.Client{ClinicID: e.clinic.ID, Name: name, Email: email}
	if err := e.store.CreateClient(e.ctx, c); err != nil {
		t.Fatal(err)
	}
	return c
}

// newSession records a session of the client that ended endedAgo before now,
// with the clinic's follow-ups; the store queues their reminders.
func (e *env) newSession(t *testing.T, c *aftercare.Client, endedAgo time.Duration) *aftercare.Session {
	t.Helper()
	ended := e.now.Add(-endedAgo)
	s := &aftercare.Session{
		ClinicID: e.clinic.ID, ClientID: c.ID,
		Style: "deep_tissue", Pressure: "firm", AreasWorked: []string{"lower_back", "calves"},
		EndedAt: ended, LinkExpiresAt: ended.Add(usecase.DefaultLinkTTL),
	}
	for _, h := range e.clinic.FollowUpHours {
		s.FollowUps = append(s.FollowUps, aftercare.FollowUp{
			Hours: h, DueAt: ended.Add(time.Duration(h) * time.Hour), Status: followup.StatusScheduled,
		})
	}
	_, hash := usecase.NewLinkToken()
	if err := e.store.CreateSession(e.ctx, s, hash); err != nil {
		t.Fatal(err)
	}
	return s
}

func (e *env) checkIn(t *testing.T, s *aftercare.Session, hours float64, level aftercare.Level, headline string) *aftercare.Flag {
	t.Helper()
	ci := &aftercare.CheckIn{
		ClinicID: e.clinic.ID, SessionID: s.ID, HoursSince: hours,
		Request:    aftercare.Request{HoursSince: &hours, Soreness: []aftercare.Soreness{{Area: "calves", Pain: 5}}},
		Assessment: aftercare.Response{Level: level, Headline: headline},
	}
	flag, err := e.store.CreateCheckIn(e.ctx, ci)
	if err != nil {
		t.Fatal(err)
	}
	return flag
}

// checkInAt records a check-in of session s made at at, graded level.
func (e *env) checkInAt(t *testing.T, s *aftercare.Session, at time.Time, level aftercare.Level) *aftercare.Flag {
	t.Helper()
	hours := at.Sub(s.EndedAt).Hours()
	ci := &aftercare.CheckIn{
		ClinicID: e.clinic.ID, SessionID: s.ID, HoursSince: hours, CreatedAt: at,
		Request:    aftercare.Request{HoursSince: &hours, Soreness: []aftercare.Soreness{{Area: "calves", Pain: 5}}},
		Assessment: aftercare.Response{Level: level, Headline: "Needs a look."},
	}
	flag, err := e.store.CreateCheckIn(e.ctx, ci)
	if err != nil {
		t.Fatal(err)
	}
	if flag == nil {
		t.Fatalf("a %s check-in raised no flag", level)
	}
	return flag
}

func (e *env) followUp(t *testing.T, s *aftercare.Session, hours int) aftercare.FollowUp {
	t.Helper()
	got, err := e.store.FindSession(e.ctx, e.clinic.ID, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range got.FollowUps {
		if f.Hours == hours {
			return f
		}
	}
	t.Fatalf("session %d has no %d h follow-up", s.ID, hours)
	return aftercare.FollowUp{}
}

func (e *env) waitForStatus(t *testing.T, s *aftercare.Session, hours int, status string) aftercare.FollowUp {
	t.Helper()
	var f aftercare.FollowUp
	eventually(t, 30*time.Second, func() (bool, string) {
		f = e.followUp(t, s, hours)
		return f.Status == status, fmt.Sprintf("the %d h follow-up is %q, want %q", hours, f.Status, status)
	})
	return f
}

// events returns the verified webhook events of one type; a delivery whose
// signature does not verify fails the test.
func (e *env) events(t *testing.T, typ string) []webhookEvent {
	t.Helper()
	var out []webhookEvent
	for _, d := range e.hooks.all() {
		if err := followup.VerifySignature(e.secret, d.header.Get(followup.SignatureHeader), d.body, time.Now(), 5*time.Minute); err != nil {
			t.Fatalf("a webhook delivery does not verify: %v\n%s", err, d.body)
		}
		var ev webhookEvent
		if err := json.Unmarshal(d.body, &ev); err != nil {
			t.Fatalf("webhook body: %v\n%s", err, d.body)
		}
		if ev.Type == typ {
			out = append(out, ev)
		}
	}
	return out
}

type webhookEvent struct {
	ID        string          `json:"id"`
	Type      string          `json:"type"`
	CreatedAt time.Time       `json:"created_at"`
	Data      json.RawMessage `json:"data"`
}

func (e *env) counter(t *testing.T, kind, outcome string) float64 {
	t.Helper()
	families, err := e.metrics.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "aftercare_followups_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["kind"] == kind && labels["outcome"] == outcome {
				return m.GetCounter().GetValue()
			}
		}
	}
	t.Fatalf("no aftercare_followups_total{kind=%q,outcome=%q}", kind, outcome)
	return 0
}

// jobs returns the River jobs of one kind whose args match.
func (e *env) jobs(t *testing.T, kind string, match func(raw []byte) bool) []*rivertype.JobRow {
	t.Helper()
	all, err := e.store.Jobs(e.ctx, kind)
	if err != nil {
		t.Fatal(err)
	}
	var out []*rivertype.JobRow
	for _, j := range all {
		if match(j.EncodedArgs) {
			out = append(out, j)
		}
	}
	return out
}

// riverClient is a River client of the test's own on the store's file, to
// insert and retry jobs by hand; it works none.
func (e *env) riverClient(t *testing.T) *river.Client[*sql.Tx] {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+e.store.Path()+"?_busy_timeout=10000&_txlock=immediate&_journal_mode=WAL")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	c, err := river.NewClient(riversqlite.New(db), &river.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var linkRE = regexp.MustCompile(regexp.QuoteMeta(baseURL) + `/c/(c_[A-Za-z0-9_-]+)`)

func TestReminder(t *testing.T) {
	t.Run("the 24-hour reminder mails a working link and the 48-hour one waits", func(t *testing.T) {
		e := newEnv(t)
		sam := e.newClient(t, "Sam Reed", "sam@client.test")
		s := e.newSession(t, sam, 25*time.Hour)
		e.start(t)

		msgs := e.mail.WaitForMail(t, sam.Email, 1)
		msg := msgs[0]
		if !strings.Contains(strings.ToLower(msg.Subject), "how are you feeling") {
			t.Errorf("subject = %q", msg.Subject)
		}
		text := normalizeNewlines(msg.Text)
		if !strings.Contains(text, "How are you feeling 24 hours after your massage? Check in here: "+baseURL+"/c/c_") {
			t.Errorf("the mail does not ask about 24 hours with a link:\n%s", text)
		}
		for _, health := range []string{"deep_tissue", "lower_back", "calves", "firm", "pain"} {
			if strings.Contains(strings.ToLower(text), health) {
				t.Errorf("the mail mentions %q; it must carry no health data:\n%s", health, text)
			}
		}
		m := linkRE.FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("no client link in the mail:\n%s", text)
		}
		found, err := e.store.FindSessionByLink(e.ctx, aftercare.HashSecret(m[1]), e.now)
		if err != nil {
			t.Fatalf("the store does not know the mailed link: %v", err)
		}
		if found.ID != s.ID {
			t.Errorf("the mailed link opens session %d, want %d", found.ID, s.ID)
		}
		if want := s.EndedAt.Add(usecase.DefaultLinkTTL); !found.LinkExpiresAt.Equal(want.Truncate(time.Microsecond)) {
			t.Errorf("the link expires at %s, want %s (14 days after the session)", found.LinkExpiresAt, want)
		}

		f := e.waitForStatus(t, s, 24, followup.StatusSent)
		if f.SentAt == nil || !f.SentAt.Equal(e.now.Truncate(time.Microsecond)) {
			t.Errorf("sent_at = %v, want %s", f.SentAt, e.now)
		}
		for _, h := range []int{48, 72} {
			if f := e.followUp(t, s, h); f.Status != followup.StatusScheduled {
				t.Errorf("the %d h follow-up is %q, want scheduled", h, f.Status)
			}
		}

		evs := e.events(t, followup.EventReminder)
		if len(evs) != 1 {
			t.Fatalf("%d reminder webhooks, want 1", len(evs))
		}
		var data struct {
			SessionID  int64  `json:"session_id"`
			ClientID   int64  `json:"client_id"`
			Hours      int    `json:"hours"`
			CheckInURL string `json:"check_in_url"`
		}
		if err := json.Unmarshal(evs[0].Data, &data); err != nil {
			t.Fatal(err)
		}
		if data.SessionID != s.ID || data.ClientID != sam.ID || data.Hours != 24 {
			t.Errorf("webhook data = %+v", data)
		}
		hm := linkRE.FindStringSubmatch(data.CheckInURL)
		if hm == nil || hm[1] == m[1] {
			t.Errorf("the webhook's check_in_url %q is not a fresh link of its own", data.CheckInURL)
		} else if _, err := e.store.FindSessionByLink(e.ctx, aftercare.HashSecret(hm[1]), e.now); err != nil {
			t.Errorf("the store does not know the webhook's link: %v", err)
		}
		if got := e.counter(t, "reminder", "sent"); got != 1 {
			t.Errorf("reminder sent counter = %v, want 1", got)
		}
	})

	t.Run("a client who checked in at 20 hours gets no 24-hour reminder", func(t *testing.T) {
		e := newEnv(t)
		kim := e.newClient(t, "Kim", "kim@client.test")
		s := e.newSession(t, kim, 25*time.Hour)
		e.checkIn(t, s, 20, aftercare.SelfCare, "This is expected soreness.")
		e.start(t)

		e.waitForStatus(t, s, 24, followup.StatusSkipped)
		if f := e.followUp(t, s, 24); f.SentAt != nil {
			t.Errorf("a skipped follow-up has sent_at %v", f.SentAt)
		}
		if got := e.mail.MessagesTo(t, kim.Email); len(got) != 0 {
			t.Errorf("%d mails to the client, want none", len(got))
		}
		if got := e.events(t, followup.EventReminder); len(got) != 0 {
			t.Errorf("%d reminder webhooks, want none", len(got))
		}
		if got := e.counter(t, "reminder", "skipped"); got != 1 {
			t.Errorf("reminder skipped counter = %v, want 1", got)
		}
	})

	t.Run("a session whose client links were revoked gets no fresh link", func(t *testing.T) {
		e := newEnv(t)
		cy := e.newClient(t, "Cy", "cy@client.test")
		s := e.newSession(t, cy, 25*time.Hour)
		if err := e.store.RevokeLinks(e.ctx, e.clinic.ID, s.ID, e.now.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		e.start(t)

		e.waitForStatus(t, s, 24, followup.StatusSkipped)
		if got := e.mail.MessagesTo(t, cy.Email); len(got) != 0 {
			t.Errorf("%d mails to the client, want none", len(got))
		}
		if got := e.events(t, followup.EventReminder); len(got) != 0 {
			t.Errorf("%d reminder webhooks, want none", len(got))
		}
	})

	t.Run("a check-in counts for its own window only", func(t *testing.T) {
		e := newEnv(t)
		lee := e.newClient(t, "Lee", "lee@client.test")
		s := e.newSession(t, lee, 49*time.Hour) // the 24 h and 48 h reminders are both due
		e.checkIn(t, s, 20, aftercare.SelfCare, "This is expected soreness.")
		e.start(t)

		e.waitForStatus(t, s, 24, followup.StatusSkipped)
		e.waitForStatus(t, s, 48, followup.StatusSent)
		msgs := e.mail.WaitForMail(t, lee.Email, 1)
		if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "48 hours after your massage") {
			t.Errorf("want one mail asking about 48 hours; got %d", len(msgs))
		}
		if f := e.followUp(t, s, 72); f.Status != followup.StatusScheduled {
			t.Errorf("the 72 h follow-up is %q, want scheduled", f.Status)
		}
	})

	t.Run("running the same reminder job twice sends one email", func(t *testing.T) {
		e := newEnv(t)
		ana := e.newClient(t, "Ana", "ana@client.test")
		s := e.newSession(t, ana, 25*time.Hour)
		e.start(t)
		e.mail.WaitForMail(t, ana.Email, 1)
		e.waitForStatus(t, s, 24, followup.StatusSent)

		is24 := func(raw []byte) bool {
			var a followup.ReminderArgs
			return json.Unmarshal(raw, &a) == nil && a.SessionID == s.ID && a.Hours == 24
		}
		var job *rivertype.JobRow
		eventually(t, 30*time.Second, func() (bool, string) {
			jobs := e.jobs(t, followup.ReminderArgs{}.Kind(), is24)
			if len(jobs) != 1 {
				return false, fmt.Sprintf("%d jobs for the 24 h reminder, want 1", len(jobs))
			}
			job = jobs[0]
			return job.State == rivertype.JobStateCompleted, fmt.Sprintf("the job is %s", job.State)
		})
		if _, err := e.riverClient(t).JobRetry(e.ctx, job.ID); err != nil {
			t.Fatal(err)
		}
		eventually(t, 30*time.Second, func() (bool, string) {
			j := e.jobs(t, followup.ReminderArgs{}.Kind(), is24)[0]
			return j.Attempt >= 2 && j.State == rivertype.JobStateCompleted,
				fmt.Sprintf("the job is %s after %d attempts", j.State, j.Attempt)
		})
		if got := e.mail.MessagesTo(t, ana.Email); len(got) != 1 {
			t.Errorf("%d mails to the client, want 1", len(got))
		}
		if got := e.events(t, followup.EventReminder); len(got) != 1 {
			t.Errorf("%d reminder webhooks, want 1", len(got))
		}
	})

	t.Run("a reminder whose webhook failed is retried without mailing the client again", func(t *testing.T) {
		e := newEnv(t)
		e.hooks.setStatus(http.StatusServiceUnavailable)
		bo := e.newClient(t, "Bo", "bo@client.test")
		s := e.newSession(t, bo, 25*time.Hour)
		e.start(t)

		e.mail.WaitForMail(t, bo.Email, 1)
		eventually(t, 30*time.Second, func() (bool, string) {
			n := len(e.events(t, followup.EventReminder))
			return n >= 1, fmt.Sprintf("%d reminder webhooks", n)
		})
		if f := e.followUp(t, s, 24); f.Status != followup.StatusScheduled {
			t.Errorf("the follow-up is %q while its webhook fails, want scheduled", f.Status)
		}
		e.hooks.setStatus(http.StatusNoContent)
		e.waitForStatus(t, s, 24, followup.StatusSent)

		if got := e.mail.MessagesTo(t, bo.Email); len(got) != 1 {
			t.Errorf("%d mails to the client, want 1", len(got))
		}
		evs := e.events(t, followup.EventReminder)
		if len(evs) < 2 {
			t.Fatalf("%d reminder webhooks, want a failed one and a retried one", len(evs))
		}
		for _, ev := range evs[1:] {
			if ev.ID != evs[0].ID {
				t.Errorf("a retried delivery has event id %q, want the first one's %q", ev.ID, evs[0].ID)
			}
		}
		if got := e.counter(t, "reminder", "failed"); got < 1 {
			t.Errorf("reminder failed counter = %v, want ≥ 1", got)
		}
	})

	t.Run("a reminder whose webhook never succeeds is marked sent when River gives up, after one email", func(t *testing.T) {
		e := newEnv(t)
		e.hooks.setStatus(http.StatusInternalServerError)
		di := e.newClient(t, "Di", "di@client.test")
		s := e.newSession(t, di, time.Hour) // the store's own reminder jobs wait for hours
		e.start(t)
		res, err := e.riverClient(t).Insert(e.ctx, followup.ReminderArgs{ClinicID: e.clinic.ID, SessionID: s.ID, Hours: 24},
			&river.InsertOpts{MaxAttempts: 2, UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: time.Minute}})
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, 30*time.Second, func() (bool, string) {
			for _, j := range e.jobs(t, followup.ReminderArgs{}.Kind(), func([]byte) bool { return true }) {
				if j.ID == res.Job.ID {
					return j.State == rivertype.JobStateDiscarded, fmt.Sprintf("the job is %s after %d attempts", j.State, j.Attempt)
				}
			}
			return false, "the job is gone"
		})
		if f := e.followUp(t, s, 24); f.Status != followup.StatusSent {
			t.Errorf("the follow-up is %q, want sent (the client was mailed)", f.Status)
		}
		if got := e.mail.MessagesTo(t, di.Email); len(got) != 1 {
			t.Errorf("%d mails to the client, want 1", len(got))
		}
		if got := e.events(t, followup.EventReminder); len(got) != 2 {
			t.Errorf("%d reminder webhook attempts, want 2", len(got))
		}
	})
}

func TestFlagNotice(t *testing.T) {
	t.Run("a flagged check-in emails the clinic and posts a signed webhook", func(t *testing.T) {
		e := newEnv(t)
		jo := e.newClient(t, "Jo", "jo@client.test")
		s := e.newSession(t, jo, 2*time.Hour) // no reminder due yet
		e.start(t)
		const headline = "One swollen, warm calf needs a doctor today."
		flag := e.checkIn(t, s, 2, aftercare.Urgent, headline)
		if flag == nil {
			t.Fatal("an urgent check-in raised no flag")
		}

		msgs := e.mail.WaitForMail(t, e.clinic.NotifyEmail, 1)
		if len(msgs) != 1 {
			t.Fatalf("%d mails to the clinic, want 1", len(msgs))
		}
		if want := "Aftercare: a check-in needs a look (urgent)"; msgs[0].Subject != want {
			t.Errorf("subject = %q, want %q", msgs[0].Subject, want)
		}
		text := normalizeNewlines(msgs[0].Text)
		for _, want := range []string{"urgent", headline, fmt.Sprintf("%s/app/sessions/%d", baseURL, s.ID)} {
			if !strings.Contains(text, want) {
				t.Errorf("the clinic's mail lacks %q:\n%s", want, text)
			}
		}
		if got := e.mail.MessagesTo(t, jo.Email); len(got) != 0 {
			t.Errorf("the client got %d mails", len(got))
		}

		var evs []webhookEvent
		eventually(t, 30*time.Second, func() (bool, string) {
			evs = e.events(t, followup.EventFlagged)
			return len(evs) == 1, fmt.Sprintf("%d flag webhooks, want 1", len(evs))
		})
		var data struct {
			FlagID    int64     `json:"flag_id"`
			SessionID int64     `json:"session_id"`
			ClientID  int64     `json:"client_id"`
			Level     string    `json:"level"`
			CreatedAt time.Time `json:"created_at"`
		}
		if err := json.Unmarshal(evs[0].Data, &data); err != nil {
			t.Fatal(err)
		}
		if data.FlagID != flag.ID || data.SessionID != s.ID || data.ClientID != jo.ID || data.Level != "urgent" ||
			!data.CreatedAt.Equal(flag.CreatedAt) {
			t.Errorf("webhook data = %+v, flag = %+v", data, flag)
		}
		if strings.Contains(string(evs[0].Data), "calf") {
			t.Errorf("the webhook carries health details: %s", evs[0].Data)
		}
		eventually(t, 10*time.Second, func() (bool, string) {
			n := e.counter(t, "flag", "sent")
			return n == 1, fmt.Sprintf("flag sent counter = %v, want 1", n)
		})
	})

	t.Run("a session's repeated flags are told in one notice, and a more serious one at once", func(t *testing.T) {
		e := newEnv(t)
		jo := e.newClient(t, "Jo", "jo@client.test")
		s := e.newSession(t, jo, 3*time.Hour)
		// Check-ins of half an hour ago: their window has closed when the jobs run.
		at := func(min int) time.Time { return e.now.Add(time.Duration(min-30) * time.Minute) }
		first := e.checkInAt(t, s, at(0), aftercare.Urgent)
		again := e.checkInAt(t, s, at(1), aftercare.Urgent)
		less := e.checkInAt(t, s, at(2), aftercare.Consult)
		worse := e.checkInAt(t, s, at(3), aftercare.Emergency)
		e.start(t)

		msgs := e.mail.WaitForMail(t, e.clinic.NotifyEmail, 3)
		subjects := map[string]string{}
		for _, m := range msgs {
			subjects[m.Subject] = normalizeNewlines(m.Text)
		}
		want := map[string][]*aftercare.Flag{
			"Aftercare: a check-in needs a look (urgent)":                {first},
			"Aftercare: 2 check-ins of one session need a look (urgent)": {again, less},
			"Aftercare: a check-in needs a look (emergency)":             {worse},
		}
		if len(msgs) != len(want) {
			t.Errorf("%d mails to the clinic, want %d", len(msgs), len(want))
		}
		for subject, flags := range want {
			text, ok := subjects[subject]
			if !ok {
				t.Errorf("no mail %q among %v", subject, subjects)
				continue
			}
			for _, f := range flags {
				if !strings.Contains(text, fmt.Sprintf("Flag %d (%s)", f.ID, f.Level)) {
					t.Errorf("mail %q does not name flag %d:\n%s", subject, f.ID, text)
				}
			}
		}
		eventually(t, 30*time.Second, func() (bool, string) {
			evs := e.events(t, followup.EventFlagged)
			return len(evs) == 3, fmt.Sprintf("%d flag webhooks, want 3", len(evs))
		})
		eventually(t, 10*time.Second, func() (bool, string) {
			sent, skipped := e.counter(t, "flag", "sent"), e.counter(t, "flag", "skipped")
			return sent == 3 && skipped == 1, fmt.Sprintf("flag notices sent %v, skipped %v; want 3 and 1", sent, skipped)
		})
	})

	t.Run("a repeated flag waits for its window to close, sending nothing yet", func(t *testing.T) {
		e := newEnv(t)
		s := e.newSession(t, e.newClient(t, "Jo", "jo@client.test"), 3*time.Hour)
		e.checkInAt(t, s, e.now, aftercare.Urgent)
		again := e.checkInAt(t, s, e.now.Add(time.Minute), aftercare.Urgent)
		e.start(t)
		e.mail.WaitForMail(t, e.clinic.NotifyEmail, 1)
		eventually(t, 30*time.Second, func() (bool, string) {
			j := e.jobs(t, followup.FlagArgs{}.Kind(), func(args []byte) bool {
				return strings.Contains(string(args), fmt.Sprintf(`"flag_id":%d`, again.ID))
			})
			if len(j) != 1 {
				return false, fmt.Sprintf("%d notice jobs of the repeated flag", len(j))
			}
			return j[0].State == rivertype.JobStateScheduled && j[0].Attempt <= 1 && j[0].ScheduledAt.After(time.Now().Add(10*time.Minute)),
				fmt.Sprintf("the repeated flag's job is %s until %v", j[0].State, j[0].ScheduledAt)
		})
		if got := e.mail.MessagesTo(t, e.clinic.NotifyEmail); len(got) != 1 {
			t.Errorf("%d mails to the clinic, want 1", len(got))
		}
		if n := e.counter(t, "flag", "failed"); n != 0 {
			t.Errorf("flag failed counter = %v, want 0", n)
		}
	})

	t.Run("a check-in below consult tells the clinic nothing", func(t *testing.T) {
		e := newEnv(t)
		s := e.newSession(t, e.newClient(t, "Max", "max@client.test"), 2*time.Hour)
		e.start(t)
		if flag := e.checkIn(t, s, 2, aftercare.Monitor, "Probably fine."); flag != nil {
			t.Fatalf("a monitor check-in raised flag %+v", flag)
		}
		if got := e.jobs(t, followup.FlagArgs{}.Kind(), func([]byte) bool { return true }); len(got) != 0 {
			t.Errorf("%d flag jobs, want none", len(got))
		}
	})

	t.Run("a notice for a flag that does not exist is cancelled, not retried", func(t *testing.T) {
		e := newEnv(t)
		e.start(t)
		res, err := e.riverClient(t).Insert(e.ctx, followup.FlagArgs{ClinicID: e.clinic.ID, FlagID: 424242}, nil)
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, 30*time.Second, func() (bool, string) {
			j := e.jobs(t, followup.FlagArgs{}.Kind(), func([]byte) bool { return true })
			if len(j) != 1 || j[0].ID != res.Job.ID {
				return false, fmt.Sprintf("%d flag jobs", len(j))
			}
			return j[0].State == rivertype.JobStateCancelled, fmt.Sprintf("the job is %s", j[0].State)
		})
		if got := e.mail.MessagesTo(t, e.clinic.NotifyEmail); len(got) != 0 {
			t.Errorf("%d mails to the clinic, want none", len(got))
		}
	})
}

func TestWorkers(t *testing.T) {
	t.Run("registering the workers twice with one registry shares the counter", func(t *testing.T) {
		store, err := sqlite.Open(context.Background(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		reg := prometheus.NewRegistry()
		followup.Workers(followup.Deps{Store: store, Metrics: reg})
		followup.Workers(followup.Deps{Store: store, Metrics: reg})
		families, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		var series int
		for _, f := range families {
			if f.GetName() == "aftercare_followups_total" {
				series = len(f.GetMetric())
			}
		}
		if series != 6 {
			t.Errorf("%d aftercare_followups_total series, want 6 (2 kinds × 3 outcomes)", series)
		}
	})
}

// syncBuffer is a bytes.Buffer safe for the workers' goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
