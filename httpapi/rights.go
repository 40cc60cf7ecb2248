package httpapi

import (
	"net/http"
	"time"

	"aftercare"
	"aftercare/usecase"
)

// eraseClient answers DELETE /api/v1/clients/{id}, the client's right to
// erasure: the client and everything held on them (screenings, sessions,
// follow-ups, links, check-ins, flags) are deleted in one transaction; the
// audit log keeps its entries, which hold no health data.
func (s *server) eraseClient(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	id, err := pathID(r, "id", "client")
	if err != nil {
		return err
	}
	if err := a.EraseClient(r.Context(), id); err != nil {
		if aftercare.ErrorCode(err) == aftercare.ENOTFOUND {
			return aftercare.Errorf(aftercare.ENOTFOUND, "id", "no client %d", id)
		}
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// revokeLinks answers POST /api/v1/sessions/{id}/revoke-links: every client
// link of the session stops working at once.
func (s *server) revokeLinks(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	id, err := pathID(r, "id", "session")
	if err != nil {
		return err
	}
	if err := a.RevokeLinks(r.Context(), id); err != nil {
		if aftercare.ErrorCode(err) == aftercare.ENOTFOUND {
			return aftercare.Errorf(aftercare.ENOTFOUND, "id", "no session %d", id)
		}
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// newLink is the body of the answer to POST /api/v1/sessions/{id}/links.
type newLink struct {
	SessionID     int64     `json:"session_id"`
	CheckInURL    string    `json:"check_in_url"`
	LinkExpiresAt time.Time `json:"link_expires_at"`
}

// createLink answers POST /api/v1/sessions/{id}/links: a fresh client link
// for the session (after the old ones were revoked, say), working until the
// link lifetime after the session's end, or after now when that has passed.
func (s *server) createLink(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	sess, err := findSession(r, a)
	if err != nil {
		return err
	}
	url, expires, err := usecase.NewLink(r.Context(), a, sess, s.links(r), s.now().UTC())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, newLink{SessionID: sess.ID, CheckInURL: url, LinkExpiresAt: expires})
	return nil
}

// emailedLink is the body of the answer to POST /api/v1/sessions/{id}/links/email.
type emailedLink struct {
	SessionID     int64     `json:"session_id"`
	EmailedTo     string    `json:"emailed_to"`
	LinkExpiresAt time.Time `json:"link_expires_at"`
}

// emailLink answers POST /api/v1/sessions/{id}/links/email: a fresh client
// link, as createLink makes, emailed to the client by the service's mail
// server and not shown to the caller. Without a mail server (503) or a
// client's address (400) no link is made; a mail the server refuses (503)
// leaves the fresh link unsent, and the call may be made again.
func (s *server) emailLink(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	ctx := r.Context()
	sess, err := findSession(r, a)
	if err != nil {
		return err
	}
	client, err := a.FindClient(ctx, sess.ClientID)
	if err != nil {
		return err
	}
	if err := usecase.CanEmailLink(s.mailer, client); err != nil {
		return err
	}
	clinic, err := a.Clinic(ctx)
	if err != nil {
		return err
	}
	url, expires, err := usecase.NewLink(ctx, a, sess, s.links(r), s.now().UTC())
	if err != nil {
		return err
	}
	if err := usecase.EmailLink(ctx, s.mailer, clinic, client, url, expires); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, emailedLink{SessionID: sess.ID, EmailedTo: client.Email, LinkExpiresAt: expires})
	return nil
}

// defaultAuditWindow is how far back GET /api/v1/audit reads without since.
const defaultAuditWindow = 30 * 24 * time.Hour

// auditList is the body of GET /api/v1/audit.
type auditList struct {
	Entries []*aftercare.AuditEntry `json:"entries"`
}

// listAudit answers GET /api/v1/audit?since=RFC3339: the clinic's audit log
// from since (30 days back without it), oldest first; owners only.
func (s *server) listAudit(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	since := s.now().Add(-defaultAuditWindow)
	if raw := r.URL.Query().Get("since"); raw != "" {
		t, err := time.Parse(time.RFC3339, raw)
		if err != nil {
			return aftercare.Errorf(aftercare.EINVALID, "since", "since must be an RFC 3339 time such as 2026-11-01T00:00:00Z, not %q", clip(raw, 64))
		}
		since = t
	}
	es, err := a.ListAudit(r.Context(), since)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, auditList{Entries: nonNil(es)})
	return nil
}
