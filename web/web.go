// Package web serves the product's pages, rendered on the server with no
// script: the public "Sore after a massage?" check, and the client's private
// check-in page behind the link their clinic sent.
package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"aftercare"
	"aftercare/httpapi/checkin"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// DefaultEmergencyNumber is the number shown with an emergency answer unless another is set.
const DefaultEmergencyNumber = "999"

// maxFormBytes bounds a posted form.
const maxFormBytes = 64 << 10

// Deps is what the pages need from the rest of the program.
type Deps struct {
	// Assessor grades the check-ins.
	Assessor aftercare.Assessor
	// Store keeps the check-ins made through a client link; nil serves the public check only.
	Store aftercare.Store
	// Now tells the time; nil uses time.Now.
	Now func() time.Time
	// EmergencyNumber is shown with an emergency answer on the public check
	// (a clinic's own number is shown on its clients' pages); empty means DefaultEmergencyNumber.
	EmergencyNumber string
	// Logger receives errors; nil discards them.
	Logger *slog.Logger
}

type handler struct {
	d     Deps
	pages *template.Template
	mux   *http.ServeMux
}

// New returns the handler of the pages: GET /, POST /check, GET and POST
// /c/{token}, and GET /static/{file}.
func New(d Deps) http.Handler {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.EmergencyNumber == "" {
		d.EmergencyNumber = DefaultEmergencyNumber
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	h := &handler{d: d, mux: http.NewServeMux()}
	h.pages = template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html"))
	static, _ := fs.Sub(staticFS, "static")
	h.mux.HandleFunc("GET /{$}", h.home)
	h.mux.HandleFunc("POST /check", h.check)
	h.mux.HandleFunc("GET /c/{token}", h.linkPage)
	h.mux.HandleFunc("POST /c/{token}", h.linkPost)
	h.mux.Handle("GET /static/{file}", http.StripPrefix("/static/", staticHandler(http.FileServerFS(static))))
	return securityHeaders(h.mux)
}

// securityHeaders sets the headers every page carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

func staticHandler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

// page is what every template is given.
type page struct {
	Title           string
	EmergencyNumber string
	Tel             template.URL
	Action          string
	Form            form
	Answer          *aftercare.Response
	Error           *aftercare.Error
	Link            *linkInfo
	Saved           bool
}

// linkInfo is what a client's page shows about their session.
type linkInfo struct {
	ClinicName string
	Style      string
	Pressure   string
	Areas      []string
	HoursAgo   int
	CheckIns   []pastCheckIn
}

type pastCheckIn struct {
	HoursSince float64
	Level      aftercare.Level
	Pain       *int
	When       time.Time
}

func (h *handler) home(w http.ResponseWriter, r *http.Request) {
	h.render(w, http.StatusOK, "check.html", h.publicPage(newForm()))
}

func (h *handler) publicPage(f form) *page {
	return &page{
		Title:           "Sore after a massage?",
		EmergencyNumber: h.d.EmergencyNumber,
		Tel:             telURL(h.d.EmergencyNumber),
		Action:          "/check",
		Form:            f,
	}
}

func (h *handler) check(w http.ResponseWriter, r *http.Request) {
	f, req, err := h.readForm(w, r)
	p := h.publicPage(f)
	if err != nil {
		p.Error = err
		h.render(w, http.StatusBadRequest, "check.html", p)
		return
	}
	resp, aerr := h.d.Assessor.Assess(req, h.d.Now())
	if aerr != nil {
		h.fail(w, r, aerr, p)
		return
	}
	p.Answer = resp
	h.render(w, http.StatusOK, "check.html", p)
}

func (h *handler) openLink(w http.ResponseWriter, r *http.Request) (*checkin.Link, bool) {
	if h.d.Store == nil {
		h.notFound(w)
		return nil, false
	}
	l, err := checkin.Open(r.Context(), h.d.Store, r.PathValue("token"), h.d.Now().UTC())
	if err != nil {
		if checkin.IsNotFound(err) {
			h.notFound(w)
		} else {
			h.fail(w, r, err, h.publicPage(newForm()))
		}
		return nil, false
	}
	return l, true
}

func (h *handler) linkPage(w http.ResponseWriter, r *http.Request) {
	l, ok := h.openLink(w, r)
	if !ok {
		return
	}
	f := newForm()
	f.prefill(l.Session)
	h.render(w, http.StatusOK, "check.html", h.clientPage(r, l, f))
}

func (h *handler) clientPage(r *http.Request, l *checkin.Link, f form) *page {
	number := l.Clinic.EmergencyNumber
	if number == "" {
		number = h.d.EmergencyNumber
	}
	s := l.Session
	info := &linkInfo{
		ClinicName: l.Clinic.Name,
		Style:      s.Style,
		Pressure:   s.Pressure,
		Areas:      s.AreasWorked,
		HoursAgo:   int(checkin.HoursSince(s, h.d.Now())),
	}
	for _, c := range s.CheckIns {
		pc := pastCheckIn{HoursSince: c.HoursSince, Level: c.Assessment.Level, When: c.CreatedAt}
		if p, ok := checkin.WorstPain(&c); ok {
			pc.Pain = &p
		}
		info.CheckIns = append(info.CheckIns, pc)
	}
	return &page{
		Title:           "Your check-in",
		EmergencyNumber: number,
		Tel:             telURL(number),
		Action:          "/c/" + r.PathValue("token"),
		Form:            f,
		Link:            info,
	}
}

func (h *handler) linkPost(w http.ResponseWriter, r *http.Request) {
	l, ok := h.openLink(w, r)
	if !ok {
		return
	}
	f, req, ferr := h.readForm(w, r)
	if ferr != nil {
		p := h.clientPage(r, l, f)
		p.Error = ferr
		h.render(w, http.StatusBadRequest, "check.html", p)
		return
	}
	c, _, err := checkin.Record(r.Context(), h.d.Store, h.d.Assessor, l.Session, req, h.d.Now().UTC())
	if err != nil {
		var e *aftercare.Error
		if aftercare.ErrorCode(err) == aftercare.EINVALID && errors.As(err, &e) {
			p := h.clientPage(r, l, f)
			p.Error = e
			h.render(w, http.StatusBadRequest, "check.html", p)
			return
		}
		h.fail(w, r, err, h.clientPage(r, l, f))
		return
	}
	l.Session.CheckIns = append(l.Session.CheckIns, *c)
	f = newForm()
	f.prefill(l.Session)
	p := h.clientPage(r, l, f)
	p.Answer = &c.Assessment
	p.Saved = true
	h.render(w, http.StatusOK, "check.html", p)
}

func (h *handler) notFound(w http.ResponseWriter) {
	h.render(w, http.StatusNotFound, "notfound.html", &page{
		Title:           "Link not found",
		EmergencyNumber: h.d.EmergencyNumber,
		Tel:             telURL(h.d.EmergencyNumber),
	})
}

// fail shows a page for an error the client cannot fix.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error, p *page) {
	status := http.StatusInternalServerError
	msg := "Something went wrong on our side. Please try again in a moment."
	if aftercare.ErrorCode(err) == aftercare.EINVALID {
		status, msg = http.StatusBadRequest, aftercare.ErrorMessage(err)
	} else {
		h.d.Logger.LogAttrs(r.Context(), slog.LevelError, "page failed", slog.String("error", err.Error()))
	}
	p.Error = &aftercare.Error{Code: aftercare.ErrorCode(err), Message: msg}
	h.render(w, status, "check.html", p)
}

func (h *handler) render(w http.ResponseWriter, status int, name string, p *page) {
	var buf bytes.Buffer
	if err := h.pages.ExecuteTemplate(&buf, name, p); err != nil {
		h.d.Logger.Error("template failed", "template", name, "error", err.Error())
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

var telChars = regexp.MustCompile(`[^0-9+*#]`)

// telURL is the tel: link of a phone number, keeping only dialable characters.
func telURL(number string) template.URL {
	return template.URL("tel:" + telChars.ReplaceAllString(number, ""))
}

// readForm reads the posted form into the form view (to show it again) and
// into an assessment request, checked by the same decoder as the JSON API.
func (h *handler) readForm(w http.ResponseWriter, r *http.Request) (form, aftercare.Request, *aftercare.Error) {
	f := newForm()
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return f, aftercare.Request{}, &aftercare.Error{Code: aftercare.EINVALID, Message: "The form could not be read; please try again."}
	}
	f.fill(r.PostForm)
	wire := map[string]any{}
	if v := r.PostForm.Get("style"); v != "" {
		wire["style"] = v
	}
	if v := r.PostForm.Get("pressure"); v != "" {
		wire["pressure"] = v
	}
	if v := r.PostForm["areas_worked"]; len(v) > 0 {
		wire["areas_worked"] = v
	}
	if v := strings.TrimSpace(r.PostForm.Get("hours_since")); v != "" {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return f, aftercare.Request{}, formError("hours_since", "Hours since your massage must be a number, such as 24.")
		}
		wire["hours_since"] = n
	}
	var soreAreas []string
	var soreness []map[string]any
	for _, a := range aftercare.Areas.Codes() {
		v := strings.TrimSpace(r.PostForm.Get("pain_" + a.Code))
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return f, aftercare.Request{}, formError("pain_"+a.Code, fmt.Sprintf("Pain in %s must be a whole number from 0 to 10.", strings.ToLower(a.Label)))
		}
		soreAreas = append(soreAreas, a.Code)
		soreness = append(soreness, map[string]any{"area": a.Code, "pain": n})
	}
	if len(soreness) > 0 {
		wire["soreness"] = soreness
	}
	if v := r.PostForm["symptoms"]; len(v) > 0 {
		wire["symptoms"] = v
	}
	if v := r.PostForm["health"]; len(v) > 0 {
		wire["health"] = v
	}
	if v := r.PostForm.Get("text"); strings.TrimSpace(v) != "" {
		wire["text"] = v
	}
	data, _ := json.Marshal(wire)
	req, err := aftercare.DecodeRequest(data)
	if err != nil {
		e := &aftercare.Error{Code: aftercare.ErrorCode(err), Message: aftercare.ErrorMessage(err), Field: formField(aftercare.ErrorField(err), soreAreas)}
		if e.Field == "request" {
			e.Message = "Tell us something to check: rate your soreness in an area, tick a symptom, or describe how you feel."
		}
		return f, aftercare.Request{}, e
	}
	return f, req, nil
}

func formError(field, msg string) *aftercare.Error {
	return &aftercare.Error{Code: aftercare.EINVALID, Field: field, Message: msg}
}

var indexed = regexp.MustCompile(`^([a-z_]+)\[(\d+)\]`)

// formField maps a field of the JSON request to the form field that holds it.
func formField(field string, soreAreas []string) string {
	m := indexed.FindStringSubmatch(field)
	if m == nil {
		return field
	}
	if m[1] == "soreness" {
		if i, err := strconv.Atoi(m[2]); err == nil && i < len(soreAreas) {
			return "pain_" + soreAreas[i]
		}
	}
	return m[1]
}
