// Package followup sends what comes after a session: check-in reminders at the
// clinic's intervals and the clinic's notice of a flagged check-in, by email and
// by signed webhook, as River jobs. The stores insert these jobs in the same
// transaction as the session or check-in they belong to.
package followup

import (
	"github.com/riverqueue/river"
)

// ReminderArgs is the job that asks a client to check in, Hours after the session.
type ReminderArgs struct {
	ClinicID  int64 `json:"clinic_id"`
	SessionID int64 `json:"session_id"`
	Hours     int   `json:"hours"`
}

// Kind names the reminder job for River.
func (ReminderArgs) Kind() string { return "checkin_reminder" }

// InsertOpts gives every reminder job its defaults: up to 10 attempts, below
// flag notices in priority, and one job per session and hour mark.
func (ReminderArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		MaxAttempts: ReminderMaxAttempts,
		Priority:    2,
		UniqueOpts:  river.UniqueOpts{ByArgs: true},
	}
}

// FlagArgs is the job that tells the clinic at once about a flagged check-in.
type FlagArgs struct {
	ClinicID int64 `json:"clinic_id"`
	FlagID   int64 `json:"flag_id"`
}

// Kind names the flag notice job for River.
func (FlagArgs) Kind() string { return "flag_notice" }

// InsertOpts gives every flag notice job its defaults: top priority, up to 20
// attempts (retried for about an hour) and one job per flag.
func (FlagArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		MaxAttempts: FlagMaxAttempts,
		Priority:    1,
		UniqueOpts:  river.UniqueOpts{ByArgs: true},
	}
}

// Attempts before River gives a job up (discards it).
const (
	// ReminderMaxAttempts bounds a reminder's attempts; River's default backoff spreads them over about four hours.
	ReminderMaxAttempts = 10
	// FlagMaxAttempts bounds a flag notice's attempts, retried 5 s after the first and then at doubling delays of at most 5 minutes.
	FlagMaxAttempts = 20
)
