package faults

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// newerKnowledge is a clinic's knowledge file that grades tingling or
// numbness higher than the built-in knowledge does, under a version of its own.
const newerKnowledge = `
version: "2099.1.0"
rules:
  - id: tingling_numbness
    level: urgent
    when: "symptom.tingling || symptom.numbness"
    text: "Tingling or numbness after massage must be seen today."
    sources: [seed]
`

// sessionView is what GET /api/v1/sessions/{id} answers, as far as this test reads it.
type sessionView struct {
	CheckIns []checkInAnswer `json:"check_ins"`
}

// reassessView is what POST /api/v1/sessions/{id}/reassess answers.
type reassessView struct {
	KnowledgeVersion string `json:"knowledge_version"`
	CheckIns         []struct {
		CheckInID int64 `json:"check_in_id"`
		Stored    struct {
			Level            string `json:"level"`
			KnowledgeVersion string `json:"knowledge_version"`
		} `json:"stored"`
		Current struct {
			Level            string `json:"level"`
			KnowledgeVersion string `json:"knowledge_version"`
		} `json:"current"`
		LevelChanged bool `json:"level_changed"`
	} `json:"check_ins"`
}

func TestKnowledgeUpgrade(t *testing.T) {
	file := filepath.Join(t.TempDir(), "newer.yaml")
	if err := os.WriteFile(file, []byte(newerKnowledge), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, kind := range storeKinds {
		t.Run("a newer knowledge base leaves stored assessments as they were and re-assesses on demand on "+kind, func(t *testing.T) {
			st := newStore(t, kind)
			cl := setupClinic(t, st)
			srv := startServe(t, st.flags...)
			a := newAPI(srv.base, cl.token)
			session := a.createSession(t, 30*time.Hour, "")
			var first checkInAnswer
			a.must(t, "POST", fmt.Sprintf("/api/v1/sessions/%d/check-ins", session), checkInBodies[1], http.StatusCreated, &first)
			if first.Assessment.Level != "consult" || first.Assessment.KnowledgeVersion == "" {
				t.Fatalf("the first check-in was graded %q under knowledge %q; want consult under the built-in version",
					first.Assessment.Level, first.Assessment.KnowledgeVersion)
			}
			srv.stop(t)

			srv = startServe(t, append([]string{"--knowledge", file}, st.flags...)...)
			a = newAPI(srv.base, cl.token)
			path := fmt.Sprintf("/api/v1/sessions/%d", session)
			var before sessionView
			a.must(t, "GET", path, nil, http.StatusOK, &before)
			if len(before.CheckIns) != 1 || before.CheckIns[0].Assessment.KnowledgeVersion != first.Assessment.KnowledgeVersion ||
				before.CheckIns[0].Assessment.Level != "consult" {
				t.Fatalf("under the newer knowledge the stored check-in reads %+v; want it as stored, %+v", before.CheckIns, first)
			}

			var re reassessView
			a.must(t, "POST", path+"/reassess", nil, http.StatusOK, &re)
			if len(re.CheckIns) != 1 {
				t.Fatalf("reassess answered %d check-ins, want 1", len(re.CheckIns))
			}
			got := re.CheckIns[0]
			for _, c := range []struct {
				what      string
				got, want any
			}{
				{"the check-in", got.CheckInID, first.ID},
				{"the stored level", got.Stored.Level, "consult"},
				{"the stored knowledge version", got.Stored.KnowledgeVersion, first.Assessment.KnowledgeVersion},
				{"the current level", got.Current.Level, "urgent"},
				{"the current knowledge version", got.Current.KnowledgeVersion, re.KnowledgeVersion},
				{"level_changed", got.LevelChanged, true},
			} {
				if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
					t.Errorf("reassess: %s is %v, want %v", c.what, c.got, c.want)
				}
			}
			if re.KnowledgeVersion == first.Assessment.KnowledgeVersion {
				t.Errorf("the newer knowledge has the old version %q", re.KnowledgeVersion)
			}

			var after sessionView
			a.must(t, "GET", path, nil, http.StatusOK, &after)
			if fmt.Sprint(after.CheckIns) != fmt.Sprint(before.CheckIns) {
				t.Errorf("reassess changed what is stored: %+v, was %+v", after.CheckIns, before.CheckIns)
			}
			var second checkInAnswer
			a.must(t, "POST", path+"/check-ins", checkInBodies[1], http.StatusCreated, &second)
			if second.Assessment.KnowledgeVersion != re.KnowledgeVersion || second.Assessment.Level != "urgent" {
				t.Errorf("a new check-in was graded %s under %q; want urgent under %q",
					second.Assessment.Level, second.Assessment.KnowledgeVersion, re.KnowledgeVersion)
			}
			srv.stop(t)
		})
	}
}
