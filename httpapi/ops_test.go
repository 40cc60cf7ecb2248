package httpapi_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"aftercare/httpapi"
)

func TestOperations(t *testing.T) {
	h := newHarness(t, "SQLite")
	t.Run("healthz answers ok", func(t *testing.T) {
		if got := decode[map[string]string](t, h.do("GET", "/healthz", nil).want(t, 200)); got["status"] != "ok" {
			t.Errorf("healthz %v", got)
		}
	})
	t.Run("readyz answers ok while the database is up", func(t *testing.T) {
		h.do("GET", "/readyz", nil).want(t, 200)
	})
	t.Run("an unknown path is a JSON 404", func(t *testing.T) {
		r := h.do("GET", "/api/v1/nothing", nil)
		r.wantError(t, 404, "not_found", "path")
		if ct := r.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type %q", ct)
		}
	})
	t.Run("a wrong method is a JSON 405 with Allow", func(t *testing.T) {
		r := h.do("DELETE", "/api/v1/clients", nil)
		r.wantError(t, 405, "method_not_allowed", "method")
		if allow := r.header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
			t.Errorf("Allow %q", allow)
		}
	})
	t.Run("the OpenAPI document is served as OpenAPI 3.1", func(t *testing.T) {
		r := h.do("GET", "/api/v1/openapi.json", nil).want(t, 200)
		var doc struct {
			OpenAPI string `json:"openapi"`
		}
		if err := json.Unmarshal(r.body, &doc); err != nil || doc.OpenAPI != "3.1.0" {
			t.Errorf("openapi %q, %v", doc.OpenAPI, err)
		}
	})
	h.do("POST", "/api/v1/assessments", goodRequest).want(t, 200)
	h.do("POST", "/api/v1/assessments", `{"symptoms":["chest_pain"]}`).want(t, 200)
	h.do("POST", "/api/v1/assessments", `{"style":"x"}`).want(t, 400)
	t.Run("metrics count requests by route and code, and assessments by level", func(t *testing.T) {
		r := h.do("GET", "/metrics", nil).want(t, 200)
		body := string(r.body)
		for _, want := range []string{
			`aftercare_http_requests_total{code="200",route="POST /api/v1/assessments"} 2`,
			`aftercare_http_requests_total{code="400",route="POST /api/v1/assessments"} 1`,
			`aftercare_http_requests_total{code="404",route="unmatched"}`,
			`aftercare_http_request_duration_seconds_bucket{route="POST /api/v1/assessments",le="+Inf"} 3`,
			`aftercare_assessments_total{level="self_care"} 1`,
			`aftercare_assessments_total{level="emergency"} 1`,
			`aftercare_assessments_total{level="urgent"} 0`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %s", want)
			}
		}
	})
}

func TestReadyzWhenTheDatabaseIsDown(t *testing.T) {
	h := newHarness(t, "SQLite")
	h.store.Close()
	h.do("GET", "/readyz", nil).wantError(t, 503, "unavailable", "")
	h.do("GET", "/healthz", nil).want(t, 200)
}

func TestAccessLogsKeepSecretsOut(t *testing.T) {
	h := newHarness(t, "SQLite")
	c := h.createClient(t, "Jo Secretname")
	sess := h.createSession(t, map[string]any{"client_id": c.ID})
	token := sess.CheckInURL[strings.LastIndex(sess.CheckInURL, "/")+1:]
	h.do("POST", "/api/v1/checkin/"+token, `{"health":["pregnant"],"text":"my calves ache terribly","soreness":[{"area":"calves","pain":6}]}`, header("X-Request-Id", "trace-42")).want(t, 201)
	h.do("GET", "/c/"+token, nil).want(t, 200)
	h.api("POST", "/api/v1/clients", `{"name":"Bad\u0000"}`).want(t, 400)
	logs := h.logs.String()
	for _, secret := range []string{h.token, token, "Secretname", "pregnant", "calves ache", "Bearer"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the logs hold %q", secret)
		}
	}
	var lines int
	for line := range strings.Lines(logs) {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q is not JSON", line)
		}
		if rec["msg"] != "http request" {
			continue
		}
		lines++
		for _, k := range []string{"request_id", "method", "route", "status", "duration_ms"} {
			if _, ok := rec[k]; !ok {
				t.Errorf("log line lacks %s: %s", k, line)
			}
		}
	}
	if lines < 5 {
		t.Errorf("%d access log lines, want one per request", lines)
	}
	if !strings.Contains(logs, `"request_id":"trace-42"`) || !strings.Contains(logs, `"route":"POST /api/v1/checkin/{token}"`) {
		t.Errorf("the logs lack the request id or route:\n%s", logs)
	}
}

func TestOpenAPIDocument(t *testing.T) {
	h := newHarness(t, "SQLite")
	doc := h.oas.doc
	// The enums of codes are written from package aftercare's lists and
	// checked by TestOpenAPIIsCurrent.
	t.Run("every route of the server is in the document", func(t *testing.T) {
		for _, p := range httpapi.Routes() {
			method, path, _ := strings.Cut(p, " ")
			path = strings.TrimSuffix(path, "{$}")
			item := doc.Paths.Find(path)
			if item == nil || item.GetOperation(method) == nil {
				t.Errorf("%s is not in the OpenAPI document", p)
			}
		}
	})
	t.Run("every operation of the document is a route of the server", func(t *testing.T) {
		routes := httpapi.Routes()
		for path, item := range doc.Paths.Map() {
			for method := range item.Operations() {
				p := method + " " + path
				if path == "/" {
					p += "{$}"
				}
				if !slices.Contains(routes, p) {
					t.Errorf("%s is documented but not served", p)
				}
			}
		}
	})
	refused := []struct {
		name, method, path string
		status             int
		body               string
	}{
		{"a level outside the enum", "POST", "/api/v1/assessments", 200, `{"level":"fine","headline":"","reasons":[],"recovery":{"typical_hours":[24,48],"check_again_in_hours":24},"plan":[],"watch_for":[],"findings":[],"knowledge_version":"","disclaimer":""}`},
		{"a missing field", "POST", "/api/v1/assessments", 200, `{"level":"monitor"}`},
		{"a field the document does not know", "GET", "/healthz", 200, `{"status":"ok","uptime":3}`},
		{"a value that breaks an OpenAPI 3.1 const", "GET", "/healthz", 200, `{"status":"down"}`},
		{"a status the operation does not list", "GET", "/healthz", 418, `{"status":"ok"}`},
		{"an error of another shape", "GET", "/api/v1/nothing", 404, `{"message":"no"}`},
		{"an error code outside the enum", "POST", "/api/v1/assessments", 400, `{"error":{"code":"oops","message":"m","field":""}}`},
		{"an error without its field", "POST", "/api/v1/assessments", 400, `{"error":{"code":"invalid","message":"m"}}`},
	}
	for _, tt := range refused {
		t.Run("the document check refuses "+tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, h.srv.URL+tt.path, nil)
			r := &result{status: tt.status, header: http.Header{"Content-Type": {"application/json"}}, body: []byte(tt.body)}
			if err := h.oas.validate(req, r); err == nil {
				t.Error("the response passed")
			}
		})
	}
	t.Run("the served document is the embedded one", func(t *testing.T) {
		r := h.do("GET", "/api/v1/openapi.json", nil).want(t, http.StatusOK)
		if string(r.body) != string(httpapi.OpenAPI()) {
			t.Error("the served document differs")
		}
	})
}
