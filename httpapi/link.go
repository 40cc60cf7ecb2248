package httpapi

import (
	"net/http"
	"time"

	"aftercare"
	"aftercare/usecase"
)

// linkView is what a client's link shows: the session as the client knows it
// and the client's earlier check-ins, without names, notes or health answers.
type linkView struct {
	ClinicName      string        `json:"clinic_name"`
	EmergencyNumber string        `json:"emergency_number"`
	Style           string        `json:"style,omitempty"`
	Pressure        string        `json:"pressure,omitempty"`
	AreasWorked     []string      `json:"areas_worked"`
	EndedAt         time.Time     `json:"ended_at"`
	HoursSince      float64       `json:"hours_since"`
	LinkExpiresAt   time.Time     `json:"link_expires_at"`
	CheckIns        []linkCheckIn `json:"check_ins"`
}

// linkCheckIn is one earlier check-in as its client sees it.
type linkCheckIn struct {
	HoursSince float64         `json:"hours_since"`
	Level      aftercare.Level `json:"level"`
	Headline   string          `json:"headline"`
	Pain       *int            `json:"pain,omitempty"`
	CreatedAt  time.Time       `json:"created_at"`
}

// openLink opens the client link of the path; usecase.OpenLink audits the attempt.
func (s *server) openLink(r *http.Request) (*usecase.Link, error) {
	return usecase.OpenLink(r.Context(), s.store, r.PathValue("token"), s.now().UTC())
}

func (s *server) linkView(w http.ResponseWriter, r *http.Request) error {
	l, err := s.openLink(r)
	if err != nil {
		return err
	}
	sess := l.Session
	v := linkView{
		ClinicName:      l.Clinic.Name,
		EmergencyNumber: l.Clinic.EmergencyNumber,
		Style:           sess.Style,
		Pressure:        sess.Pressure,
		AreasWorked:     nonNil(sess.AreasWorked),
		EndedAt:         sess.EndedAt,
		HoursSince:      usecase.HoursSince(sess, s.now()),
		LinkExpiresAt:   sess.LinkExpiresAt,
		CheckIns:        []linkCheckIn{},
	}
	for _, c := range sess.CheckIns {
		lc := linkCheckIn{HoursSince: c.HoursSince, Level: c.Assessment.Level, Headline: c.Assessment.Headline, CreatedAt: c.CreatedAt}
		if p, ok := usecase.WorstPain(&c); ok {
			lc.Pain = &p
		}
		v.CheckIns = append(v.CheckIns, lc)
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *server) linkCheckIn(w http.ResponseWriter, r *http.Request) error {
	l, err := s.openLink(r)
	if err != nil {
		return err
	}
	return s.recordCheckIn(w, r, l, l.Session)
}
