package httpapi

import (
	"bytes"
	"fmt"
	"net/http"

	"aftercare"
	"aftercare/export"
)

// Media types of the exports.
const (
	csvType      = "text/csv; charset=utf-8"
	calendarType = "text/calendar; charset=utf-8"
)

// exportCheckIns answers GET /api/v1/export/check-ins.csv: every check-in of
// the clinic's clients' sessions as CSV, one row per sore area (see
// export.CheckInRows), client by client, each client's sessions oldest first.
func (s *server) exportCheckIns(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	ctx := r.Context()
	clients, err := a.ListClients(ctx)
	if err != nil {
		return err
	}
	sessions, err := a.ListSessions(ctx, 0)
	if err != nil {
		return err
	}
	byClient := map[int64][]aftercare.Session{}
	for _, se := range sessions {
		byClient[se.ClientID] = append(byClient[se.ClientID], *se)
	}
	var rows []export.CheckInRow
	for _, c := range clients {
		rs, err := export.CheckInRows(*c, byClient[c.ID])
		if err != nil {
			return err
		}
		rows = append(rows, rs...)
	}
	var buf bytes.Buffer
	if err := export.WriteCheckInsCSV(&buf, rows); err != nil {
		return err
	}
	if err := a.Exported(ctx, "check-ins.csv", 0); err != nil {
		return err
	}
	writeFile(w, csvType, "check-ins.csv", buf.Bytes())
	return nil
}

// clientRecords loads the client of the path with their clinic and sessions.
func clientRecords(r *http.Request, a *aftercare.Access) (*export.ClientRecords, error) {
	c, err := findClient(r, a)
	if err != nil {
		return nil, err
	}
	clinic, err := a.Clinic(r.Context())
	if err != nil {
		return nil, err
	}
	sessions, err := a.ListSessions(r.Context(), c.ID)
	if aftercare.ErrorCode(err) == aftercare.ENOTFOUND {
		return nil, aftercare.Errorf(aftercare.ENOTFOUND, "id", "no client %d", c.ID)
	}
	if err != nil {
		return nil, err
	}
	rec := &export.ClientRecords{Clinic: *clinic, Client: *c}
	for _, se := range sessions {
		rec.Sessions = append(rec.Sessions, *se)
	}
	return rec, nil
}

// exportClient answers GET /api/v1/clients/{id}/export, the client's right
// of access: everything held on one client as one JSON document
// (export.ClientDocument): the client, their screenings, their sessions with
// every check-in and its assessment, and every flag raised on them,
// acknowledged or not. The download is written to the audit log.
func (s *server) exportClient(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	ctx := r.Context()
	rec, err := clientRecords(r, a)
	if err != nil {
		return err
	}
	screenings, err := a.ListScreenings(ctx, rec.Client.ID)
	if err != nil {
		return err
	}
	for _, sc := range screenings {
		rec.Screenings = append(rec.Screenings, *sc)
	}
	flags, err := a.ListClientFlags(ctx, rec.Client.ID)
	if err != nil {
		return err
	}
	for _, f := range flags {
		rec.Flags = append(rec.Flags, *f)
	}
	var buf bytes.Buffer
	if err := export.ClientJSON(&buf, *rec, s.now()); err != nil {
		return err
	}
	if err := a.Exported(ctx, fmt.Sprintf("client/%d", rec.Client.ID), rec.Client.ID); err != nil {
		return err
	}
	writeFile(w, "application/json", fmt.Sprintf("client-%d.json", rec.Client.ID), buf.Bytes())
	return nil
}

// clientFollowUps answers GET /api/v1/clients/{id}/follow-ups.ics: the
// client's follow-up times as an iCalendar file (export.FollowUpsICS).
func (s *server) clientFollowUps(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	rec, err := clientRecords(r, a)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := export.FollowUpsICS(&buf, rec.Clinic, rec.Client, rec.Sessions, s.now()); err != nil {
		return err
	}
	if err := a.Exported(r.Context(), fmt.Sprintf("client/%d/follow-ups.ics", rec.Client.ID), rec.Client.ID); err != nil {
		return err
	}
	writeFile(w, calendarType, fmt.Sprintf("follow-ups-%d.ics", rec.Client.ID), buf.Bytes())
	return nil
}

// writeFile answers with data as a download named filename.
func writeFile(w http.ResponseWriter, contentType, filename string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", filename))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
}
