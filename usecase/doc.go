// Package usecase holds the clinic's actions, one function each, that every
// door calls: the JSON API (httpapi), the pages (web), the command line
// (cmd/aftercare) and the follow-up jobs (followup). It creates and changes a
// client, records a screening, records a session with its follow-ups and its
// client link, opens a link, records a check-in (completed from its session,
// assessed, stored, flagged), acknowledges a flag with what came of it (and
// undoes that for a short while), makes a new link, emails it and sets the
// clinic's time zone.
//
// Each action checks its input with the entity's Validate method in package
// aftercare and reaches the data through the door it is given: an
// *aftercare.Access (scoped to the caller's clinic and audited), the *Link a
// client opened, or the store for one clinic (ClinicStore) in the jobs. A
// door decodes its own input (JSON, a form, flags) and shows the result its
// own way; what a clinic feature means is written here once.
package usecase
