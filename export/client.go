package export

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"aftercare"
)

// ClientFormat names the shape of the client document and its version.
const ClientFormat = "aftercare.client/v1"

// ClientRecords is everything held on one client, as loaded from the store.
type ClientRecords struct {
	Clinic     aftercare.Clinic
	Client     aftercare.Client
	Screenings []aftercare.Screening
	// Sessions carry their check-ins, oldest first.
	Sessions []aftercare.Session
	Flags    []aftercare.Flag
}

// ClientDocument is the JSON document of one client: who they are, their
// screenings, their sessions with every check-in and its assessment, and the
// flags raised on them. Lists are never null.
type ClientDocument struct {
	// Format is ClientFormat.
	Format     string                `json:"format"`
	ExportedAt time.Time             `json:"exported_at"`
	Clinic     ClinicSummary         `json:"clinic"`
	Client     aftercare.Client      `json:"client"`
	Screenings []aftercare.Screening `json:"screenings"`
	Sessions   []aftercare.Session   `json:"sessions"`
	Flags      []aftercare.Flag      `json:"flags"`
}

// ClinicSummary names the clinic that holds the data; its settings are not exported.
type ClinicSummary struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// NewClientDocument returns the document of one client's records, exported at
// now. Records of another client or clinic are refused. The client's private
// check-in links are left out: they are credentials, not data.
func NewClientDocument(rec ClientRecords, now time.Time) (ClientDocument, error) {
	c := rec.Client
	if c.ClinicID != rec.Clinic.ID {
		return ClientDocument{}, fmt.Errorf("export: client %d belongs to clinic %d, not %d", c.ID, c.ClinicID, rec.Clinic.ID)
	}
	doc := ClientDocument{
		Format:     ClientFormat,
		ExportedAt: now.UTC(),
		Clinic:     ClinicSummary{ID: rec.Clinic.ID, Name: rec.Clinic.Name},
		Client:     c,
		Screenings: make([]aftercare.Screening, 0, len(rec.Screenings)),
		Sessions:   make([]aftercare.Session, 0, len(rec.Sessions)),
		Flags:      make([]aftercare.Flag, 0, len(rec.Flags)),
	}
	for _, s := range rec.Screenings {
		if err := owned(c, "screening", s.ID, s.ClinicID, s.ClientID); err != nil {
			return ClientDocument{}, err
		}
		s.Health, s.Cautions = nonNil(s.Health), nonNil(s.Cautions)
		doc.Screenings = append(doc.Screenings, s)
	}
	for _, s := range rec.Sessions {
		if err := owned(c, "session", s.ID, s.ClinicID, s.ClientID); err != nil {
			return ClientDocument{}, err
		}
		s.CheckInURL = ""
		s.FollowUps = nonNil(s.FollowUps)
		s.CheckIns = nonNil(s.CheckIns)
		doc.Sessions = append(doc.Sessions, s)
	}
	for _, f := range rec.Flags {
		if err := owned(c, "flag", f.ID, f.ClinicID, f.ClientID); err != nil {
			return ClientDocument{}, err
		}
		doc.Flags = append(doc.Flags, f)
	}
	return doc, nil
}

// ClientJSON writes the document of one client's records (see ClientDocument)
// as indented JSON.
func ClientJSON(w io.Writer, rec ClientRecords, now time.Time) error {
	doc, err := NewClientDocument(rec, now)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("export: client %d: %w", rec.Client.ID, err)
	}
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
