package followup

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"aftercare"
	"aftercare/keyring"
	"aftercare/usecase"
)

// Follow-up statuses, as kept in aftercare.FollowUp.Status.
const (
	// StatusScheduled is a follow-up whose reminder has not run yet.
	StatusScheduled = aftercare.FollowUpScheduled
	// StatusSent is a follow-up whose reminder went out.
	StatusSent = aftercare.FollowUpSent
	// StatusSkipped is a follow-up that needed no reminder (the client had checked in, or could no longer be asked).
	StatusSkipped = aftercare.FollowUpSkipped
)

// Deps is what the follow-up workers need.
type Deps struct {
	// Store holds sessions, clients, links, follow-ups and flags.
	Store aftercare.Store
	// Mailer sends email; nil sends none.
	Mailer *Mailer
	// Webhooks posts clinic webhooks; nil uses NewWebhookSender(nil).
	Webhooks *WebhookSender
	// BaseURL is where the server is reached from outside, such as "http://127.0.0.1:8080".
	BaseURL string
	// LinkTTL is how long after the session ended a mailed link works; 0 means usecase.DefaultLinkTTL.
	LinkTTL time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger logs what the workers do, by id and without health data; nil means slog.Default().
	Logger *slog.Logger
	// Metrics, when set, gets the aftercare_followups_total counter.
	Metrics prometheus.Registerer
	// Keyring opens the clinics' sealed webhook secrets; nil opens none.
	Keyring *keyring.Keyring
	// FlagWindow is how long a session's further flags, no more serious than
	// those notified, wait to be told in one notice; 0 means DefaultFlagWindow.
	FlagWindow time.Duration
}

// Workers returns River workers for ReminderArgs and FlagArgs.
func Workers(d Deps) *river.Workers {
	ws := river.NewWorkers()
	AddWorkers(ws, d)
	return ws
}

// AddWorkers registers the ReminderArgs and FlagArgs workers on ws, for a
// process that has workers of its own as well.
func AddWorkers(ws *river.Workers, d Deps) {
	if d.Store == nil {
		panic("followup: Deps.Store is nil")
	}
	if d.Webhooks == nil {
		d.Webhooks = NewWebhookSender(nil)
	}
	if d.LinkTTL <= 0 {
		d.LinkTTL = usecase.DefaultLinkTTL
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.FlagWindow <= 0 {
		d.FlagWindow = DefaultFlagWindow
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	d.BaseURL = strings.TrimRight(d.BaseURL, "/")
	m := newMetrics(d.Metrics, d.Logger)
	river.AddWorker(ws, &reminderWorker{d: d, m: m})
	river.AddWorker(ws, &flagWorker{d: d, m: m})
}

const whyCheckedIn = "the client already checked in"

// decision is what a job does this attempt.
type decision int

const (
	decideSend decision = iota // notify, then record it
	decideSkip                 // notify nobody, record why
	decideDone                 // already handled: do nothing at all
)

type reminderWorker struct {
	river.WorkerDefaults[ReminderArgs]
	d Deps
	m metrics
}

// Work sends one check-in reminder, at most once per session and hour mark.
func (w *reminderWorker) Work(ctx context.Context, job *river.Job[ReminderArgs]) (err error) {
	a := job.Args
	log := w.d.Logger.With("job", job.Kind, "job_id", job.ID, "attempt", job.Attempt,
		"clinic_id", a.ClinicID, "session_id", a.SessionID, "hours", a.Hours)
	defer func() {
		if err != nil {
			w.m.count(kindReminder, outcomeFailed)
			log.Warn("followup: reminder failed", "err", err)
		}
	}()

	s, err := w.d.Store.FindSession(ctx, a.ClinicID, a.SessionID)
	if err != nil {
		return permanentIfNotFound(err, "session")
	}
	fu, prev, ok := followUp(s, a.Hours)
	if !ok {
		return river.JobCancel(fmt.Errorf("followup: session %d has no %d h follow-up", a.SessionID, a.Hours))
	}
	clinic, err := w.d.Store.FindClinic(ctx, a.ClinicID)
	if err != nil {
		return permanentIfNotFound(err, "clinic")
	}
	client, err := w.d.Store.FindClient(ctx, a.ClinicID, s.ClientID)
	if err != nil {
		return permanentIfNotFound(err, "client")
	}

	now := w.d.Now()
	expires := s.EndedAt.Add(w.d.LinkTTL)
	dec, why := decideSend, ""
	switch {
	case fu.Status == StatusSent || fu.Status == StatusSkipped:
		dec, why = decideDone, "already "+fu.Status
	case checkedIn(s, prev, a.Hours, now):
		dec, why = decideSkip, whyCheckedIn
	case !now.Before(expires):
		// Far too late (the server was down, or the session was recorded
		// long after it ended): the link would be dead on arrival.
		dec, why = decideSkip, "the check-in link period is over"
	case !s.LinkExpiresAt.IsZero() && !s.LinkExpiresAt.After(now):
		// The clinic revoked the session's links: a fresh one would undo that.
		dec, why = decideSkip, "the session's client links are revoked"
	}

	st := newSteps(ctx)
	emailRan := false
	var dl delivery // what this attempt's deliveries came to
	st.run("email", func(ctx context.Context) error {
		emailRan = true
		if dec != decideSend || w.d.Mailer == nil || client.Email == "" {
			return nil
		}
		link, err := w.newLink(ctx, s, expires)
		if err != nil {
			return err
		}
		subject, body := reminderMail(clinic, client, a.Hours, link, expires)
		if err := w.d.Mailer.Send(ctx, client.Email, subject, body); err != nil {
			dl.failed("email", err)
			if errors.Is(err, ErrInvalidAddress) {
				log.Warn("followup: client's email address is unusable; no reminder email", "client_id", client.ID)
				return nil
			}
			return err
		}
		dl.delivered()
		log.Info("followup: reminder emailed", "client_id", client.ID)
		return nil
	})
	if !emailRan && dec == decideSkip && why == whyCheckedIn {
		// An earlier attempt got past the email step, so it had decided to
		// send: finish that, though the client has checked in since. (Revoked
		// links still stop it: no fresh link goes out after a revocation.)
		dec = decideSend
	}
	st.run("webhook", func(ctx context.Context) error {
		if dec != decideSend || clinic.WebhookURL == "" {
			return nil
		}
		link, err := w.newLink(ctx, s, expires)
		if err != nil {
			return err
		}
		ev := Event{
			ID:   stableEventID(EventReminder, a.ClinicID, a.SessionID, a.Hours),
			Type: EventReminder,
			Data: reminderEvent{
				SessionID:     s.ID,
				ClientID:      s.ClientID,
				Hours:         a.Hours,
				DueAt:         fu.DueAt.UTC(),
				CheckInURL:    link,
				LinkExpiresAt: expires.UTC(),
			},
		}
		secret, err := w.d.webhookSecret(clinic, log)
		if err != nil {
			return err
		}
		if err := w.d.Webhooks.SendEvent(ctx, clinic.WebhookURL, secret, ev); err != nil {
			dl.failed("webhook", err)
			return err
		}
		dl.delivered()
		log.Info("followup: reminder webhook posted", "event_id", ev.ID)
		return nil
	})
	dl.record(ctx, w.d.Store, a, now, log)
	if st.err != nil {
		if st.failed == "webhook" && dec == decideSend && job.Attempt >= job.MaxAttempts {
			// River gives up after this attempt. The client was asked (or had
			// no address): say so, rather than leave the follow-up scheduled.
			if err := w.d.Store.MarkFollowUp(ctx, a.ClinicID, a.SessionID, a.Hours, StatusSent, now); err != nil {
				log.Error("followup: cannot mark the reminder sent", "err", err)
			}
		}
		return st.err
	}

	switch dec {
	case decideDone:
		log.Debug("followup: reminder has nothing to do", "why", why)
		return nil
	case decideSkip:
		if err := w.d.Store.MarkFollowUp(ctx, a.ClinicID, a.SessionID, a.Hours, StatusSkipped, now); err != nil {
			return err
		}
		w.m.count(kindReminder, outcomeSkipped)
		log.Info("followup: reminder skipped", "why", why)
		return nil
	}
	if err := w.d.Store.MarkFollowUp(ctx, a.ClinicID, a.SessionID, a.Hours, StatusSent, now); err != nil {
		return err
	}
	w.m.count(kindReminder, outcomeSent)
	return nil
}

// delivery gathers what one attempt's deliveries of a reminder came to.
type delivery struct {
	ok   bool     // a channel took the reminder
	errs []string // why each failed channel failed
}

func (d *delivery) delivered() { d.ok = true }

// failed notes a channel's failure, without the package's own prefix.
func (d *delivery) failed(channel string, err error) {
	d.errs = append(d.errs, channel+": "+strings.TrimPrefix(err.Error(), "followup: "))
}

// record keeps what the attempt came to on the follow-up: failed with why
// when a channel failed, else delivered when one took it; nothing when no
// channel was tried. A failure to record is logged, not retried: the
// reminder itself went (or did not) all the same.
func (d *delivery) record(ctx context.Context, st aftercare.Store, a ReminderArgs, at time.Time, log *slog.Logger) {
	status, why := aftercare.DeliveryDelivered, ""
	switch {
	case len(d.errs) > 0:
		status, why = aftercare.DeliveryFailed, strings.Join(d.errs, "; ")
	case !d.ok:
		return
	}
	if err := st.MarkDelivery(ctx, a.ClinicID, a.SessionID, a.Hours, status, why, at); err != nil {
		log.Error("followup: cannot record the reminder's delivery", "delivery", status, "err", err)
	}
}

// newLink mints a fresh client link for the session and returns its URL.
func (w *reminderWorker) newLink(ctx context.Context, s *aftercare.Session, expires time.Time) (string, error) {
	return usecase.AddLink(ctx, usecase.ClinicStore{Store: w.d.Store, ClinicID: s.ClinicID}, s, w.d.BaseURL, expires)
}

// reminderEvent is the data of a checkin.reminder webhook.
type reminderEvent struct {
	SessionID int64     `json:"session_id"`
	ClientID  int64     `json:"client_id"`
	Hours     int       `json:"hours"`
	DueAt     time.Time `json:"due_at"`
	// CheckInURL is a fresh link of its own, so that the clinic can pass the
	// reminder on by other means (such as a text message).
	CheckInURL    string    `json:"check_in_url"`
	LinkExpiresAt time.Time `json:"link_expires_at"`
}

// followUp finds the session's follow-up at hours and the hour mark of the one
// before it (0 for the first).
func followUp(s *aftercare.Session, hours int) (fu aftercare.FollowUp, prev int, ok bool) {
	for _, f := range s.FollowUps {
		if f.Hours == hours {
			fu, ok = f, true
		} else if f.Hours < hours && f.Hours > prev {
			prev = f.Hours
		}
	}
	return fu, prev, ok
}

// checkedIn reports whether the client checked in within this follow-up's
// window: after the previous follow-up's hour mark (from the session's end for
// the first) and up to this one's, or up to now when the reminder runs late.
func checkedIn(s *aftercare.Session, prev, hours int, now time.Time) bool {
	upper := max(float64(hours), now.Sub(s.EndedAt).Hours())
	for _, c := range s.CheckIns {
		h := c.HoursSince
		if (h > float64(prev) || (prev == 0 && h >= 0)) && h <= upper {
			return true
		}
	}
	return false
}

func reminderMail(clinic *aftercare.Clinic, client *aftercare.Client, hours int, link string, expires time.Time) (subject, body string) {
	subject = "How are you feeling after your massage?"
	if clinic.Name != "" {
		subject = clinic.Name + ": how are you feeling after your massage?"
	}
	unit := "hours"
	if hours == 1 {
		unit = "hour"
	}
	intro := fmt.Sprintf("How are you feeling %d %s after your massage? Check in here: %s", hours, unit, link)
	return subject, usecase.ClientMail(clinic, client, intro, expires)
}

type flagWorker struct {
	river.WorkerDefaults[FlagArgs]
	d Deps
	m metrics
}

// NextRetry retries a flag notice soon: it matters now, not in hours.
func (w *flagWorker) NextRetry(job *river.Job[FlagArgs]) time.Time {
	return time.Now().Add(flagRetryDelay(job.Attempt))
}

// flagRetryDelay is 5 s after the first attempt, doubling to at most 5 minutes.
func flagRetryDelay(attempt int) time.Duration {
	d := 5 * time.Second
	for i := 1; i < attempt && d < 5*time.Minute; i++ {
		d *= 2
	}
	return min(d, 5*time.Minute)
}

// Work tells the clinic about one flagged check-in, by email and webhook.
func (w *flagWorker) Work(ctx context.Context, job *river.Job[FlagArgs]) (err error) {
	a := job.Args
	log := w.d.Logger.With("job", job.Kind, "job_id", job.ID, "attempt", job.Attempt,
		"clinic_id", a.ClinicID, "flag_id", a.FlagID)
	defer func() {
		var snooze *river.JobSnoozeError
		if err != nil && !errors.As(err, &snooze) {
			w.m.count(kindFlag, outcomeFailed)
			log.Error("followup: flag notice failed", "err", err)
		}
	}()

	f, err := w.d.Store.FindFlag(ctx, a.ClinicID, a.FlagID)
	if err != nil {
		return permanentIfNotFound(err, "flag")
	}
	clinic, err := w.d.Store.FindClinic(ctx, a.ClinicID)
	if err != nil {
		return permanentIfNotFound(err, "clinic")
	}
	// A session's repeated flags are told in one notice (group.go).
	clientFlags, err := w.d.Store.ListClientFlags(ctx, a.ClinicID, f.ClientID)
	if err != nil {
		return permanentIfNotFound(err, "flags")
	}
	var session []*aftercare.Flag
	for _, g := range clientFlags {
		if g.SessionID == f.SessionID {
			session = append(session, g)
		}
	}
	plan := planFlagNotice(session, f.ID, w.d.FlagWindow, w.d.Now())
	switch {
	case plan.wait > 0:
		log.Info("followup: flag notice waits for the session's other flags", "wait", plan.wait.String())
		return river.JobSnooze(plan.wait)
	case len(plan.notify) == 0:
		w.m.count(kindFlag, outcomeSkipped)
		log.Info("followup: flag told in another flag's notice", "covered_by", plan.coveredBy)
		return nil
	}
	var unacked []*aftercare.Flag
	for _, g := range plan.notify {
		if g.AckedAt == nil {
			unacked = append(unacked, g)
		}
	}
	dec := decideSend
	if len(unacked) == 0 {
		// Someone at the clinic has already seen them (the notice was retrying, or waiting).
		dec = decideSkip
		unacked = plan.notify
	}
	// The notice's flag is the most serious it names (the latest of equals).
	lead := unacked[0]
	ids := make([]int64, 0, len(unacked))
	for _, g := range unacked {
		if g.Level >= lead.Level {
			lead = g
		}
		ids = append(ids, g.ID)
	}

	channels := 0
	st := newSteps(ctx)
	emailRan := false
	st.run("email", func(ctx context.Context) error {
		emailRan = true
		if dec != decideSend || w.d.Mailer == nil || clinic.NotifyEmail == "" {
			return nil
		}
		subject, body := flagMail(unacked, lead, w.d.BaseURL, clinic.Location())
		if err := w.d.Mailer.Send(ctx, clinic.NotifyEmail, subject, body); err != nil {
			if errors.Is(err, ErrInvalidAddress) {
				log.Error("followup: clinic's notify address is unusable; no flag email")
				return nil
			}
			return err
		}
		channels++
		log.Info("followup: flag emailed to the clinic")
		return nil
	})
	if !emailRan && dec == decideSkip {
		dec = decideSend // an earlier attempt had started sending: finish it
	}
	st.run("webhook", func(ctx context.Context) error {
		if dec != decideSend || clinic.WebhookURL == "" {
			return nil
		}
		data := flagEvent{
			FlagID:    lead.ID,
			CheckInID: lead.CheckInID,
			SessionID: lead.SessionID,
			ClientID:  lead.ClientID,
			Level:     lead.Level,
			CreatedAt: lead.CreatedAt.UTC(),
		}
		if plan.digest {
			data.FlagIDs = ids // a notice of one flag carries none
		}
		ev := Event{ID: stableEventID(EventFlagged, a.ClinicID, a.FlagID), Type: EventFlagged, Data: data}
		secret, err := w.d.webhookSecret(clinic, log)
		if err != nil {
			return err
		}
		if err := w.d.Webhooks.SendEvent(ctx, clinic.WebhookURL, secret, ev); err != nil {
			return err
		}
		channels++
		log.Info("followup: flag webhook posted", "event_id", ev.ID, "flags", len(ids))
		return nil
	})
	if st.err != nil {
		return st.err
	}
	switch {
	case dec == decideSkip:
		w.m.count(kindFlag, outcomeSkipped)
		log.Info("followup: flag notice skipped: already acknowledged")
	case channels == 0 && emailRan:
		w.m.count(kindFlag, outcomeSkipped)
		log.Warn("followup: flag notice reached nobody: the clinic has no usable notify email or webhook; " +
			"it shows in the flag list only")
	default:
		w.m.count(kindFlag, outcomeSent)
	}
	return nil
}

// flagEvent is the data of a checkin.flagged webhook.
type flagEvent struct {
	FlagID    int64           `json:"flag_id"`
	CheckInID int64           `json:"check_in_id"`
	SessionID int64           `json:"session_id"`
	ClientID  int64           `json:"client_id"`
	Level     aftercare.Level `json:"level"`
	CreatedAt time.Time       `json:"created_at"`
	// FlagIDs are every flag a notice of a session's repeated flags names
	// (the one above among them), oldest first; absent from a notice of one flag.
	FlagIDs []int64 `json:"flag_ids,omitempty"`
}

// flagMail is the clinic's notice of flags, lead the most serious of them,
// its times in the clinic's time zone loc.
func flagMail(flags []*aftercare.Flag, lead *aftercare.Flag, baseURL string, loc *time.Location) (subject, body string) {
	f := lead
	subject = fmt.Sprintf("Aftercare: a check-in needs a look (%s)", f.Level)
	if len(flags) > 1 {
		subject = fmt.Sprintf("Aftercare: %d check-ins of one session need a look (%s)", len(flags), f.Level)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "A client's check-in was graded %s: %s\n\n", f.Level, f.Level.Meaning())
	if f.Headline != "" {
		fmt.Fprintf(&b, "What the client was told: %s\n\n", f.Headline)
	}
	fmt.Fprintf(&b, "Open the session: %s/app/sessions/%d\n\n", baseURL, f.SessionID)
	if len(flags) > 1 {
		fmt.Fprintf(&b, "The client checked in %d times in a short while; this one notice names them all:\n", len(flags))
	}
	for _, g := range flags {
		fmt.Fprintf(&b, "Flag %d (%s), check-in %d, client %d, at %s.\n", g.ID, g.Level, g.CheckInID, g.ClientID,
			aftercare.ShowTime(g.CreatedAt, loc))
	}
	b.WriteString("Please get in touch with the client, and acknowledge the flag once someone has looked at it.\n")
	return subject, b.String()
}

// permanentIfNotFound cancels the job when what it is about is gone (no retry
// can bring it back), and lets River retry any other error.
func permanentIfNotFound(err error, what string) error {
	if aftercare.ErrorCode(err) == aftercare.ENOTFOUND {
		return river.JobCancel(fmt.Errorf("followup: %s not found: %w", what, err))
	}
	return fmt.Errorf("followup: load %s: %w", what, err)
}

// steps runs a job's side effects as River resumable steps, so that a retry
// after a failure skips what already succeeded (a mail is not sent twice
// because the webhook after it failed). Called outside River (a worker's Work
// called directly), the steps simply run.
type steps struct {
	ctx       context.Context
	resumable bool
	err       error
	failed    string // the step that returned err
}

func newSteps(ctx context.Context) *steps {
	return &steps{ctx: ctx, resumable: inResumableContext(ctx)}
}

// run runs one step unless an earlier one failed; River skips it itself when
// an earlier attempt completed it. Every path of a Work must run the same steps
// (River fails a resumed job whose completed step is not reached again).
func (s *steps) run(name string, fn func(ctx context.Context) error) {
	if s.err != nil {
		return
	}
	if !s.resumable {
		s.err = fn(s.ctx)
	} else {
		river.ResumableStep(s.ctx, name, nil, func(ctx context.Context) error {
			s.err = fn(ctx)
			return s.err
		})
	}
	if s.err != nil {
		s.failed = name
	}
}

// inResumableContext reports whether ctx is a River job's, which carries the
// resumable step state. Outside a step, ResumableSetCursor returns an error
// and changes nothing when the state is there, and panics when it is not.
func inResumableContext(ctx context.Context) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	_ = river.ResumableSetCursor(ctx, 0)
	return true
}

// webhookSecret returns the clinic's webhook secret, opened with the keyring
// when it is sealed. One kept in plain text (stored before secrets were
// sealed) still signs, with a warning; a sealed one without the keyring that
// opens it is an error, so the job retries once the keyring is given.
func (d Deps) webhookSecret(c *aftercare.Clinic, log *slog.Logger) (string, error) {
	switch {
	case c.WebhookSecret == "":
		log.Warn("followup: clinic has a webhook URL but no secret; its signatures prove nothing")
		return "", nil
	case !keyring.Sealed(c.WebhookSecret):
		log.Warn("followup: clinic's webhook secret is kept in plain text; make a new one to seal it")
		return c.WebhookSecret, nil
	case d.Keyring == nil:
		return "", fmt.Errorf("followup: the clinic's webhook secret is sealed, and serve was given no keyring to open it (--secret-keys)")
	}
	secret, err := d.Keyring.Open(c.WebhookSecret, keyring.PurposeWebhookSecret)
	if err != nil {
		return "", fmt.Errorf("followup: %w", err)
	}
	return secret, nil
}
