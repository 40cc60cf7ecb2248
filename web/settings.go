package web

import (
	"fmt"
	"net/http"
	"strings"

	"aftercare"
	"aftercare/usecase"
)

// settingsView is the clinic's settings page: its time zone, which an owner
// may change.
type settingsView struct {
	// TimeZone is the zone as stored, or as posted when it was refused.
	TimeZone string
	// Now is the time at the clinic, in its zone, as the pages show it.
	Now string
	// CanChange is true for an owner.
	CanChange bool
	// Saved is true just after a change.
	Saved bool
	Error *aftercare.Error
	// Zones are suggestions for the field.
	Zones []string
	Key   string
}

// commonZones are the suggestions of the time zone field; any IANA name is taken.
var commonZones = []string{
	"Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Rome",
	"Europe/Amsterdam", "Europe/Stockholm", "Europe/Athens", "Europe/Helsinki", "Africa/Johannesburg",
	"America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
	"America/Anchorage", "Pacific/Honolulu", "America/Toronto", "America/Vancouver", "America/Mexico_City",
	"America/Sao_Paulo", "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo", "Australia/Perth",
	"Australia/Sydney", "Pacific/Auckland", "UTC",
}

func (h *handler) settings(w http.ResponseWriter, r *http.Request, s *staffReq) {
	if err := s.acc.Audit(r.Context(), aftercare.AuditRead, fmt.Sprintf("clinic/%d/settings", s.acc.ClinicID()), 0, nil); err != nil {
		h.fault(w, r, err, s.p)
		return
	}
	h.showSettings(w, s, &settingsView{TimeZone: s.clinic.Location().String(), Saved: r.URL.Query().Get("saved") == "1"}, http.StatusOK)
}

func (h *handler) showSettings(w http.ResponseWriter, s *staffReq, v *settingsView, status int) {
	p := s.acc.Principal()
	v.CanChange = p.Role == aftercare.RoleOwner
	v.Now = aftercare.ShowTime(h.d.Now(), s.p.zone)
	v.Zones = commonZones
	v.Key = newFormKey()
	s.p.Title, s.p.Nav = "Clinic settings", "settings"
	s.p.Settings = v
	h.render(w, status, "settings.html", s.p)
}

// saveSettings changes the clinic's time zone (usecase.SetTimeZone: an owner
// only), then shows the settings in the new zone.
func (h *handler) saveSettings(w http.ResponseWriter, r *http.Request, s *staffReq) {
	if err := parseForm(w, r); err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	posted := r.PostForm.Get("time_zone")
	to, err := h.recent.once(s.formKey(r), h.d.Now(), func() (string, error) {
		_, err := usecase.SetTimeZone(r.Context(), s.acc, posted)
		return "/staff/settings?saved=1", err
	})
	if e := invalid(err); e != nil {
		h.showSettings(w, s, &settingsView{TimeZone: strings.TrimSpace(posted), Error: e}, http.StatusBadRequest)
		return
	}
	if err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}
