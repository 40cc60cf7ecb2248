package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"aftercare"
	"aftercare/usecase"
)

func TestTheClientsRights(t *testing.T) {
	forEachStore(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		next := newRequestIDs("rights")
		c := h.createClient(t, "Rita Rights")
		keep := h.createClient(t, "Kim Kept")
		h.api("POST", fmt.Sprintf("/api/v1/clients/%d/screenings", c.ID), `{"health":["blood_thinners"],"notes":"warfarin"}`).want(t, 201)
		sess := h.createSession(t, map[string]any{"client_id": c.ID, "style": "sports", "areas_worked": []string{"calves"}})
		kept := h.createSession(t, map[string]any{"client_id": keep.ID})
		checkIns := fmt.Sprintf("/api/v1/sessions/%d/check-ins", sess.ID)
		h.api("POST", checkIns, `{"symptoms":["calf_swelling","warmth_redness"]}`).want(t, 201)
		h.api("POST", checkIns, `{"symptoms":["sharp_pain"],"soreness":[{"area":"calves","pain":6}]}`).want(t, 201)
		flags, err := h.store.ListClientFlags(ctx, h.clinic.ID, c.ID)
		if err != nil || len(flags) != 2 {
			t.Fatalf("flags %v, %v", flags, err)
		}
		h.api("POST", fmt.Sprintf("/api/v1/flags/%d/ack", flags[0].ID), nil).want(t, 200)

		t.Run("the export holds everything held on the client, acknowledged flags included, and is audited", func(t *testing.T) {
			id := next()
			r := h.api("GET", fmt.Sprintf("/api/v1/clients/%d/export", c.ID), nil, requestIDOpt(id)).want(t, 200)
			doc := decode[struct {
				Client     aftercare.Client      `json:"client"`
				Screenings []aftercare.Screening `json:"screenings"`
				Sessions   []aftercare.Session   `json:"sessions"`
				Flags      []aftercare.Flag      `json:"flags"`
			}](t, r)
			if doc.Client.ID != c.ID || len(doc.Screenings) != 1 || len(doc.Sessions) != 1 || len(doc.Sessions[0].CheckIns) != 2 {
				t.Errorf("document %s", r.body)
			}
			if len(doc.Flags) != 2 || doc.Flags[0].AckedAt == nil || doc.Flags[1].AckedAt != nil {
				t.Errorf("flags %+v: want the acknowledged one and the open one", doc.Flags)
			}
			if strings.Contains(string(r.body), "/c/c_") {
				t.Error("the export holds a client link")
			}
			if e := h.wantAudit(t, id, aftercare.OutcomeOK, fmt.Sprintf("token:%d", h.tokenID)); e != nil && e.ClientID != c.ID {
				t.Errorf("audit entry %+v", e)
			}
		})
		link := linkToken(sess.CheckInURL)
		t.Run("revoking the session's links closes its link at once", func(t *testing.T) {
			h.do("GET", "/api/v1/checkin/"+link, nil).want(t, 200)
			h.api("POST", fmt.Sprintf("/api/v1/sessions/%d/revoke-links", sess.ID), nil).want(t, http.StatusNoContent)
			h.do("GET", "/api/v1/checkin/"+link, nil).wantError(t, 404, aftercare.ENOTFOUND, "token")
			h.do("GET", "/c/"+link, nil).want(t, 404)
		})
		var fresh string
		t.Run("a fresh link opens the session until the link lifetime after it", func(t *testing.T) {
			r := h.api("POST", fmt.Sprintf("/api/v1/sessions/%d/links", sess.ID), nil).want(t, 201)
			got := decode[struct {
				SessionID     int64     `json:"session_id"`
				CheckInURL    string    `json:"check_in_url"`
				LinkExpiresAt time.Time `json:"link_expires_at"`
			}](t, r)
			if got.SessionID != sess.ID || !strings.HasPrefix(got.CheckInURL, baseURL+"/c/c_") || !got.LinkExpiresAt.Equal(sess.EndedAt.Add(usecase.DefaultLinkTTL)) {
				t.Errorf("link %s", r.body)
			}
			fresh = linkToken(got.CheckInURL)
			h.do("GET", "/api/v1/checkin/"+fresh, nil).want(t, 200)
		})
		t.Run("an old link stops working when a new one is made", func(t *testing.T) {
			old := fresh
			r := h.api("POST", fmt.Sprintf("/api/v1/sessions/%d/links", sess.ID), nil).want(t, 201)
			fresh = linkToken(decode[struct {
				CheckInURL string `json:"check_in_url"`
			}](t, r).CheckInURL)
			h.do("GET", "/api/v1/checkin/"+old, nil).wantError(t, 404, aftercare.ENOTFOUND, "token")
			h.do("GET", "/api/v1/checkin/"+fresh, nil).want(t, 200)
		})
		t.Run("a link made after the lifetime has passed works from now", func(t *testing.T) {
			old := h.createSession(t, map[string]any{"client_id": keep.ID,
				"ended_at": h.clock.Now().Add(-usecase.DefaultLinkTTL - 24*time.Hour).Format(time.RFC3339)})
			h.do("GET", "/api/v1/checkin/"+linkToken(old.CheckInURL), nil).want(t, 404)
			r := h.api("POST", fmt.Sprintf("/api/v1/sessions/%d/links", old.ID), nil).want(t, 201)
			got := decode[struct {
				CheckInURL    string    `json:"check_in_url"`
				LinkExpiresAt time.Time `json:"link_expires_at"`
			}](t, r)
			if !got.LinkExpiresAt.Equal(h.clock.Now().Add(usecase.DefaultLinkTTL)) {
				t.Errorf("expires %v", got.LinkExpiresAt)
			}
			h.do("GET", "/api/v1/checkin/"+linkToken(got.CheckInURL), nil).want(t, 200)
		})
		t.Run("erasing the client deletes their check-ins, screenings, sessions and links, and is audited", func(t *testing.T) {
			id := next()
			h.api("DELETE", fmt.Sprintf("/api/v1/clients/%d", c.ID), nil, requestIDOpt(id)).want(t, http.StatusNoContent)
			h.api("GET", fmt.Sprintf("/api/v1/clients/%d", c.ID), nil).wantError(t, 404, aftercare.ENOTFOUND, "id")
			h.api("GET", fmt.Sprintf("/api/v1/sessions/%d", sess.ID), nil).wantError(t, 404, aftercare.ENOTFOUND, "id")
			h.api("GET", fmt.Sprintf("/api/v1/clients/%d/export", c.ID), nil).wantError(t, 404, aftercare.ENOTFOUND, "id")
			h.do("GET", "/api/v1/checkin/"+fresh, nil).wantError(t, 404, aftercare.ENOTFOUND, "token")
			open := decode[struct{ Flags []aftercare.Flag }](t, h.api("GET", "/api/v1/flags", nil).want(t, 200))
			for _, f := range open.Flags {
				if f.ClientID == c.ID {
					t.Errorf("flag %+v of the erased client is still open", f)
				}
			}
			if e := h.wantAudit(t, id, aftercare.OutcomeOK, ""); e != nil && (e.Action != aftercare.AuditErase || e.ClientID != c.ID) {
				t.Errorf("audit entry %+v", e)
			}
			list, err := h.store.ListAudit(ctx, h.clinic.ID, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			var before int
			for _, e := range list {
				if e.ClientID == c.ID && e.Action != aftercare.AuditErase {
					before++
				}
			}
			if before == 0 {
				t.Error("the audit log lost the entries made before the erasure")
			}
		})
		t.Run("another client of the clinic is kept", func(t *testing.T) {
			h.api("GET", fmt.Sprintf("/api/v1/clients/%d", keep.ID), nil).want(t, 200)
			h.api("GET", fmt.Sprintf("/api/v1/sessions/%d", kept.ID), nil).want(t, 200)
			h.do("GET", "/api/v1/checkin/"+linkToken(kept.CheckInURL), nil).want(t, 200)
		})
		t.Run("erasing a client twice is not found", func(t *testing.T) {
			h.api("DELETE", fmt.Sprintf("/api/v1/clients/%d", c.ID), nil).wantError(t, 404, aftercare.ENOTFOUND, "id")
		})
		t.Run("the audit log takes an RFC 3339 since", func(t *testing.T) {
			owner := h.createUser(t, h.clinic.ID, fmt.Sprintf("owner-%d@rights.example", time.Now().UnixNano()), aftercare.RoleOwner)
			sc := h.signIn(t, owner)
			future := h.clock.Now().Add(time.Hour).Format(time.RFC3339)
			got := decode[struct {
				Entries []aftercare.AuditEntry `json:"entries"`
			}](t, h.do("GET", "/api/v1/audit?since="+future, nil, cookie(sc)).want(t, 200))
			if len(got.Entries) != 0 {
				t.Errorf("entries from the future: %+v", got.Entries)
			}
			h.do("GET", "/api/v1/audit?since=yesterday", nil, cookie(sc)).wantError(t, 400, aftercare.EINVALID, "since")
		})
	})
}
