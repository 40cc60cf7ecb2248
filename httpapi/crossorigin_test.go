package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"aftercare"
)

func TestCrossOriginRefusalIsAudited(t *testing.T) {
	forEachStore(t, func(t *testing.T, h *harness) {
		const secret = "Rosalind Cross-Origin"
		crossSite := []reqOpt{header("Sec-Fetch-Site", "cross-site"), header("Origin", "https://evil.example")}
		tests := []struct {
			name, method, path, route string
			body                      any
			opts                      []reqOpt
		}{
			{"a cross-origin sign-in", "POST", "/login", "POST /login",
				loginForm("ana@calm.example", secret), []reqOpt{form()}},
			{"a cross-origin API write with a token", "POST", "/api/v1/clients", "POST /api/v1/clients",
				map[string]string{"name": secret}, []reqOpt{bearer(h.token)}},
			{"a cross-origin assessment", "POST", "/api/v1/assessments", "POST /api/v1/assessments",
				map[string]string{"notes": secret}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name+" is refused with 403 and leaves a denied entry that holds nothing it sent", func(t *testing.T) {
				id := newRequestIDs("cors")()
				opts := append(append([]reqOpt{requestIDOpt(id)}, tt.opts...), crossSite...)
				h.do(tt.method, tt.path, tt.body, opts...).wantError(t, 403, aftercare.EFORBIDDEN, "Origin")
				e := h.wantAudit(t, id, aftercare.OutcomeDenied, "anonymous")
				if e == nil {
					return
				}
				if e.Action != aftercare.AuditDenied || e.Object != "cross-origin" || e.ClinicID != 0 || e.ClientID != 0 ||
					e.Route != tt.route || e.Address == "" {
					t.Errorf("audit entry %+v", e)
				}
				if b, _ := json.Marshal(e); strings.Contains(string(b), "Rosalind") {
					t.Errorf("the audit entry holds what was sent: %s", b)
				}
			})
		}
		t.Run("a same-origin read leaves no cross-origin entry", func(t *testing.T) {
			id := newRequestIDs("cors")()
			h.api("GET", "/api/v1/clients", nil, requestIDOpt(id)).want(t, 200)
			for _, e := range h.auditOf(t, id) {
				if e.Object == "cross-origin" {
					t.Errorf("entry %+v", e)
				}
			}
		})
	})
}
