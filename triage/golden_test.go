package triage

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"aftercare"
)

var update = flag.Bool("update", false, "rewrite the golden answers in testdata/golden")

// TestAnswersMatchTheGoldenFiles keeps whole answers (wording, plan, watch
// list, findings) under review: a change shows as a diff of testdata/golden.
// Run `go test ./triage -run Golden -update` after a deliberate change.
func TestAnswersMatchTheGoldenFiles(t *testing.T) {
	e := testEngine(t)
	for name, body := range map[string]string{
		"expected_soreness": `{"style":"deep_tissue","pressure":"firm","areas_worked":["neck","lower_back"],"hours_since":30,"soreness":[{"area":"lower_back","pain":4}]}`,
		"worsening_neck":    `{"style":"deep_tissue","areas_worked":["neck"],"hours_since":66,"soreness":[{"area":"neck","pain":6}],"history":[{"hours_since":20,"pain":2}]}`,
		"possible_clot":     `{"style":"sports","areas_worked":["calves"],"hours_since":30,"symptoms":["calf_swelling"],"health":["dvt_history"]}`,
		"free_text":         `{"text":"My calves are sore after the sports massage yesterday, about 3/10, no swelling."}`,
		"stroke_signs":      `{"style":"thai","areas_worked":["neck"],"hours_since":12,"text":"my face feels droopy on one side and my speech is slurred"}`,
	} {
		t.Run(name+" gives the answer on file", func(t *testing.T) {
			req, err := aftercare.DecodeRequest([]byte(body))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := e.Assess(req, requestTime)
			if err != nil {
				t.Fatal(err)
			}
			resp.KnowledgeVersion = "(any)"
			got, _ := json.MarshalIndent(resp, "", "  ")
			got = append(got, '\n')
			path := filepath.Join("testdata", "golden", name+".json")
			if *update {
				os.MkdirAll(filepath.Dir(path), 0o755)
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("the answer differs from %s:\n%s", path, got)
			}
		})
	}
}
