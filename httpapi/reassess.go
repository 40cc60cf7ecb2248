package httpapi

import (
	"net/http"

	"aftercare"
)

// reassessment is one stored check-in beside what the knowledge base now in
// use makes of the same request: the stored assessment keeps the
// knowledge_version it was made with, and nothing is stored.
type reassessment struct {
	CheckInID  int64              `json:"check_in_id"`
	HoursSince float64            `json:"hours_since"`
	CreatedAt  string             `json:"created_at"`
	Stored     aftercare.Response `json:"stored"`
	Current    aftercare.Response `json:"current"`
	// LevelChanged is true when the current knowledge grades the check-in differently.
	LevelChanged bool `json:"level_changed"`
}

// reassessList is the body of POST /api/v1/sessions/{id}/reassess.
type reassessList struct {
	SessionID int64 `json:"session_id"`
	// KnowledgeVersion is the version of the knowledge base now in use.
	KnowledgeVersion string         `json:"knowledge_version"`
	CheckIns         []reassessment `json:"check_ins"`
}

// reassess grades every stored check-in of a session again with the
// knowledge base now in use, read at the time each was made, and answers with
// both assessments side by side. It stores nothing: a newer knowledge base
// never rewrites what a client was told.
func (s *server) reassess(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	sess, err := findSession(r, a)
	if err != nil {
		return err
	}
	out := reassessList{SessionID: sess.ID, KnowledgeVersion: s.assessor.KnowledgeVersion(), CheckIns: []reassessment{}}
	for _, c := range sess.CheckIns {
		current, err := s.assessor.Assess(c.Request, c.CreatedAt)
		if err != nil {
			return err
		}
		out.CheckIns = append(out.CheckIns, reassessment{
			CheckInID:    c.ID,
			HoursSince:   c.HoursSince,
			CreatedAt:    c.CreatedAt.UTC().Format("2006-01-02T15:04:05.999999Z07:00"),
			Stored:       c.Assessment,
			Current:      *current,
			LevelChanged: current.Level != c.Assessment.Level,
		})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
