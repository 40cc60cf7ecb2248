// Package followup sends what comes after a session: check-in reminders at the
// clinic's intervals and the clinic's notice of a flagged check-in, by email and
// by signed webhook, as River jobs. The stores insert these jobs in the same
// transaction as the session or check-in they belong to.
package followup

// ReminderArgs is the job that asks a client to check in, Hours after the session.
type ReminderArgs struct {
	ClinicID  int64 `json:"clinic_id"`
	SessionID int64 `json:"session_id"`
	Hours     int   `json:"hours"`
}

// Kind names the reminder job for River.
func (ReminderArgs) Kind() string { return "checkin_reminder" }

// FlagArgs is the job that tells the clinic at once about a flagged check-in.
type FlagArgs struct {
	ClinicID int64 `json:"clinic_id"`
	FlagID   int64 `json:"flag_id"`
}

// Kind names the flag notice job for River.
func (FlagArgs) Kind() string { return "flag_notice" }
