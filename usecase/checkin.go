package usecase

import (
	"context"
	"math"
	"slices"
	"time"

	"aftercare"
)

// Prepare completes a check-in request from its session: hours_since from the
// session's end when the request leaves it out, the session's style, pressure
// and areas when the request gives none, and the history from the session's
// earlier check-ins when the request gives none. The result is validated.
func Prepare(s *aftercare.Session, req aftercare.Request, now time.Time) (aftercare.Request, error) {
	if req.HoursSince == nil {
		h := HoursSince(s, now)
		req.HoursSince = &h
	}
	if req.Style == "" {
		req.Style = s.Style
	}
	if req.Pressure == "" {
		req.Pressure = s.Pressure
	}
	if len(req.AreasWorked) == 0 && len(s.AreasWorked) > 0 {
		req.AreasWorked = slices.Clone(s.AreasWorked)
	}
	if len(req.History) == 0 {
		req.History = History(s.CheckIns, *req.HoursSince)
	}
	if err := req.Validate(); err != nil {
		return aftercare.Request{}, err
	}
	return req, nil
}

// HoursSince returns the hours from the session's end to now, rounded to a
// tenth of an hour, and kept within 0 and aftercare.MaxHours.
func HoursSince(s *aftercare.Session, now time.Time) float64 {
	h := now.Sub(s.EndedAt).Hours()
	h = math.Round(h*10) / 10
	return min(max(h, 0), aftercare.MaxHours)
}

// History returns the earlier check-ins that carry a pain rating, as history
// points oldest first, keeping only those no later than hoursSince.
func History(checkIns []aftercare.CheckIn, hoursSince float64) []aftercare.HistoryPoint {
	var out []aftercare.HistoryPoint
	for _, c := range checkIns {
		pain, ok := WorstPain(&c)
		if !ok || c.HoursSince > hoursSince {
			continue
		}
		h := c.HoursSince
		out = append(out, aftercare.HistoryPoint{HoursSince: &h, Pain: pain})
	}
	slices.SortStableFunc(out, func(a, b aftercare.HistoryPoint) int {
		switch {
		case *a.HoursSince < *b.HoursSince:
			return -1
		case *a.HoursSince > *b.HoursSince:
			return 1
		}
		return 0
	})
	if len(out) > aftercare.MaxHistory {
		out = out[len(out)-aftercare.MaxHistory:]
	}
	return out
}

// WorstPain returns the highest pain a check-in reported, from its soreness
// ratings or from a pain score read from its text; ok is false when it gave none.
func WorstPain(c *aftercare.CheckIn) (pain int, ok bool) {
	for _, s := range c.Request.Soreness {
		if !ok || s.Pain > pain {
			pain, ok = s.Pain, true
		}
	}
	for _, f := range c.Assessment.Findings {
		if f.Type != "pain" || f.Negated || f.Value == nil {
			continue
		}
		v := int(math.Round(*f.Value))
		if v < 0 || v > 10 {
			continue
		}
		if !ok || v > pain {
			pain, ok = v, true
		}
	}
	return pain, ok
}

// CheckInDoor is what a check-in is stored through: an *aftercare.Access on
// the clinic side (scoped to the caller's clinic and audited), or the *Link a
// client opened (audited as the link's holder).
type CheckInDoor interface {
	CreateCheckIn(ctx context.Context, c *aftercare.CheckIn) (*aftercare.Flag, error)
}

// RecordCheckIn completes req from the session, assesses it at now and stores
// the check-in through door; the flag is non-nil when the check-in was
// flagged for the clinic. Every door that takes check-ins ends here.
func RecordCheckIn(ctx context.Context, door CheckInDoor, assessor aftercare.Assessor, s *aftercare.Session, req aftercare.Request, now time.Time) (*aftercare.CheckIn, *aftercare.Flag, error) {
	req, err := Prepare(s, req, now)
	if err != nil {
		return nil, nil, err
	}
	resp, err := assessor.Assess(req, now)
	if err != nil {
		return nil, nil, err
	}
	c := &aftercare.CheckIn{
		ClinicID:   s.ClinicID,
		SessionID:  s.ID,
		HoursSince: *req.HoursSince,
		Request:    req,
		Assessment: *resp,
		CreatedAt:  now,
	}
	flag, err := door.CreateCheckIn(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	return c, flag, nil
}
