package export

import (
	"time"

	"aftercare"
)

var (
	clinic = aftercare.Clinic{ID: 3, Name: "Kneads; Needs, \"Studio\" — Straße", EmergencyNumber: "999", WebhookURL: "https://hooks.example/x", WebhookSecret: "shh"}
	client = aftercare.Client{ID: 12, ClinicID: 3, Name: "=HYPERLINK(\"http://evil.example\")", Email: "zoe@example.org"}
	ended  = time.Date(2026, 3, 1, 17, 30, 0, 0, time.UTC)
	now    = time.Date(2026, 3, 1, 18, 0, 0, 0, time.FixedZone("CET", 3600))
)

func ptr[T any](v T) *T { return &v }

func sessions() []aftercare.Session {
	return []aftercare.Session{
		{
			ID: 40, ClinicID: 3, ClientID: 12, Style: "deep_tissue", Pressure: "firm",
			AreasWorked: []string{"neck", "calves"}, EndedAt: ended,
			CheckInURL: "https://aftercare.example/c/secret-token",
			FollowUps: []aftercare.FollowUp{
				{Hours: 24, DueAt: ended.Add(24 * time.Hour), Status: "sent"},
				{Hours: 48, DueAt: ended.Add(48 * time.Hour), Status: "skipped"},
				{Hours: 72, DueAt: ended.Add(72 * time.Hour), Status: "scheduled"},
			},
			CheckIns: []aftercare.CheckIn{
				{
					ID: 7, ClinicID: 3, SessionID: 40, HoursSince: 30, CreatedAt: ended.Add(30 * time.Hour),
					Request: aftercare.Request{
						Soreness: []aftercare.Soreness{{Area: "neck", Pain: 4}, {Area: "calves", Pain: 0}},
						Symptoms: []string{"headache", "stiffness"},
						Text:     "no numbness, but @home my calf feels warm",
					},
					Assessment: aftercare.Response{
						Level: aftercare.Consult, Headline: "See a doctor soon.", KnowledgeVersion: "-kb+1",
						Findings: []aftercare.Finding{
							{Type: "symptom", Code: "numbness", Negated: true, Text: "no numbness"},
							{Type: "symptom", Code: "warmth_redness", Text: "warm"},
							{Type: "symptom", Code: "headache", Text: "headache"},
							{Type: "area", Code: "calves", Text: "calf"},
						},
					},
				},
				{
					ID: 8, ClinicID: 3, SessionID: 40, HoursSince: 50.25, CreatedAt: ended.Add(50*time.Hour + 15*time.Minute),
					Request:    aftercare.Request{Text: "+1 better today"},
					Assessment: aftercare.Response{Level: aftercare.SelfCare, Headline: "This is expected.", KnowledgeVersion: "kb-1"},
				},
			},
		},
		{
			ID: 41, ClinicID: 3, ClientID: 12, EndedAt: ended.Add(7 * 24 * time.Hour),
			FollowUps: []aftercare.FollowUp{{Hours: 24, DueAt: ended.Add(8 * 24 * time.Hour), Status: "scheduled"}},
		},
	}
}

func records() ClientRecords {
	return ClientRecords{
		Clinic: clinic,
		Client: client,
		Screenings: []aftercare.Screening{{
			ID: 2, ClinicID: 3, ClientID: 12, Health: []string{"blood_thinners"}, Notes: "warfarin",
			Cautions: []aftercare.Caution{{Health: "blood_thinners", Title: "Light pressure", Advice: "No deep work.", MaxPressure: "light", Source: "NCCIH"}},
		}},
		Sessions: sessions(),
		Flags: []aftercare.Flag{{
			ID: 5, ClinicID: 3, CheckInID: 7, SessionID: 40, ClientID: 12, Level: aftercare.Consult,
			Headline: "See a doctor soon.", CreatedAt: ended.Add(30 * time.Hour), AckedAt: ptr(ended.Add(31 * time.Hour)), AckedBy: "owner@example.org",
		}},
	}
}
