// Package web serves the product's pages, rendered on the server with
// html/template: the public "Sore after a massage?" self-check and its
// answer, the guide (rendered from the same knowledge base as the engine's
// answers), the client's private check-in page behind the link their clinic
// sent, the staff sign-in page, and the therapist's workspace. Every page
// works without JavaScript; the one small script in static/ only makes them
// smoother (one step at a time, tapping the body map, printing). Nothing is
// loaded from elsewhere: no CDN, no web fonts.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"aftercare"
	"aftercare/knowledge"
	"aftercare/usecase"
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
	// Assessor grades the check-ins and gives the screening cautions.
	Assessor aftercare.Assessor
	// Store keeps the clinic's data; nil serves the public pages only.
	Store aftercare.Store
	// Knowledge is the knowledge base the guide is rendered from; nil takes
	// the Assessor's (when it has a Knowledge method), so the guide and the
	// answers have one source.
	Knowledge *knowledge.Base
	// Now tells the time; nil uses time.Now.
	Now func() time.Time
	// EmergencyNumber is shown with an emergency answer on the public check
	// (a clinic's own number is shown on its clients' pages); empty means DefaultEmergencyNumber.
	EmergencyNumber string
	// BaseURL is the public address the client links point at, such as
	// https://aftercare.example; empty derives it from each request.
	BaseURL string
	// LinkTTL is how long a client link works after the session ends; zero means usecase.DefaultLinkTTL.
	LinkTTL time.Duration
	// Logger receives errors; nil discards them.
	Logger *slog.Logger
	// Mail is true when follow-up mail can be sent (a mail server is set
	// up); without it, and without a clinic's webhook, the workspace says
	// that reminders are not being sent.
	Mail bool
	// Mailer sends a client their check-in link from the session's page;
	// nil when no mail server is set up, and the page says so.
	Mailer usecase.Mailer
}

type handler struct {
	d  Deps
	kb *knowledge.Base
	// pages are the templates as parsed, never executed: the pages of each
	// time zone are a clone of them whose functions show times in that zone.
	pages *template.Template
	// zoned holds the clones by zone name; mu guards making one.
	zoned sync.Map
	mu    sync.Mutex
	mux   *http.ServeMux
	// recent keeps the posts of forms with no stored key once (see once.go).
	recent recentKeys
}

// New returns the handler of the pages: GET /, POST /check, GET and POST
// /c/{token}, GET /guide and /guide/{topic}, GET /login, the staff pages under
// /staff (the clinic's settings at /staff/settings), and GET /static/{file}.
func New(d Deps) http.Handler {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.EmergencyNumber == "" {
		d.EmergencyNumber = DefaultEmergencyNumber
	}
	if d.LinkTTL <= 0 {
		d.LinkTTL = usecase.DefaultLinkTTL
	}
	d.BaseURL = strings.TrimRight(d.BaseURL, "/")
	if d.Logger == nil {
		d.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	h := &handler{d: d, kb: d.Knowledge, mux: http.NewServeMux()}
	if h.kb == nil {
		if k, ok := d.Assessor.(interface{ Knowledge() *knowledge.Base }); ok {
			h.kb = k.Knowledge()
		}
	}
	h.pages = template.Must(template.New("").Funcs(h.funcs(time.UTC)).ParseFS(templateFS, "templates/*.html"))
	template.Must(h.pagesIn(time.UTC))

	h.mux.HandleFunc("GET /{$}", h.home)
	h.mux.HandleFunc("POST /check", h.check)
	h.mux.HandleFunc("GET /c/{token}", h.linkPage)
	h.mux.HandleFunc("POST /c/{token}", h.linkPost)
	h.mux.HandleFunc("GET /guide", h.guide)
	h.mux.HandleFunc("GET /guide/{topic}", h.guide)
	h.mux.HandleFunc("GET /login", h.loginPage)
	h.mux.HandleFunc("GET /staff", h.staff(h.dashboard))
	h.mux.HandleFunc("POST /staff/clients", h.staff(h.createClient))
	h.mux.HandleFunc("GET /staff/clients/{id}", h.staff(h.staffClient))
	h.mux.HandleFunc("POST /staff/clients/{id}/screenings", h.staff(h.createScreening))
	h.mux.HandleFunc("POST /staff/sessions", h.staff(h.createSession))
	h.mux.HandleFunc("GET /staff/sessions/{id}", h.staff(h.sessionPage))
	h.mux.HandleFunc("POST /staff/sessions/{id}/link", h.staff(h.newLink))
	h.mux.HandleFunc("POST /staff/sessions/{id}/email-link", h.staff(h.emailLink))
	h.mux.HandleFunc("POST /staff/sessions/{id}/revoke-links", h.staff(h.revokeLinks))
	h.mux.HandleFunc("POST /staff/flags/{id}/ack", h.staff(h.ackFlag))
	h.mux.HandleFunc("GET /staff/settings", h.staff(h.settings))
	h.mux.HandleFunc("POST /staff/settings", h.staff(h.saveSettings))
	h.mux.HandleFunc("POST /staff/flags/{id}/undo", h.staff(h.undoAck))
	h.mux.HandleFunc("POST /staff/clients/{id}", h.staff(h.updateClient))
	h.mux.Handle("GET /static/{file}", staticHandler(http.HandlerFunc(serveStatic)))
	h.mux.HandleFunc("/", h.unknown)
	return securityHeaders(h.mux)
}

// securityHeaders sets the headers every page carries, the service's own
// (aftercare.SetSecurityHeaders), when the pages are served on their own.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		aftercare.SetSecurityHeaders(w.Header())
		next.ServeHTTP(w, r)
	})
}

// assetVersion names the version of the static files; the pages ask for
// /static/FILE?v=assetVersion, which may be cached for good.
var assetVersion = func() string {
	h := sha256.New()
	_ = fs.WalkDir(staticFS, "static", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := staticFS.ReadFile(path)
			h.Write([]byte(path))
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}()

func staticHandler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("v") == assetVersion {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=3600")
		}
		next.ServeHTTP(w, r)
	})
}

// page is what every template is given.
type page struct {
	Title string
	// Nav is the part of the site the page belongs to: "check", "guide", "login", "staff" or "settings".
	Nav             string
	EmergencyNumber string
	Tel             template.URL
	// Staff is the signed-in staff member or token, on the staff pages.
	Staff      *aftercare.Principal
	ClinicName string
	// Emergency shows the banner with the call link above everything else.
	Emergency bool
	// Public is true for a page with nothing of anyone's on it (the blank
	// self-check, the guide): the browser may keep it, in its back/forward
	// cache too, and asks again before showing it from the cache. Every
	// other page is sent no-store.
	Public bool

	// The self-check and the client's page.
	Action string
	Form   *form
	Answer *answerView
	Error  *aftercare.Error
	Link   *linkInfo
	// Questions asks what the reading is unsure of: alone before the
	// answer, or below an answer shown at once.
	Questions *questionScreen

	Guide    *guidePage
	Login    *loginView
	Dash     *dashboard
	Settings *settingsView
	Client   *clientView
	Created  *createdSession
	// Message is the text of a page that only tells something (not found, forbidden, a fault).
	Message *message

	// zone is the time zone the page shows times in: the clinic's on its
	// staff's and its clients' pages; nil for UTC.
	zone *time.Location
}

// message is a page that only tells something.
type message struct {
	Heading string
	Text    string
	// Back is where the page offers to go next, with its words.
	Back, BackText string
}

func (h *handler) basePage(title, nav string) *page {
	return &page{Title: title, Nav: nav, EmergencyNumber: h.d.EmergencyNumber, Tel: telURL(h.d.EmergencyNumber)}
}

// pagesIn returns the pages whose times are shown in time zone loc.
func (h *handler) pagesIn(loc *time.Location) (*template.Template, error) {
	if t, ok := h.zoned.Load(loc.String()); ok {
		return t.(*template.Template), nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if t, ok := h.zoned.Load(loc.String()); ok {
		return t.(*template.Template), nil
	}
	t, err := h.pages.Clone()
	if err != nil {
		return nil, err
	}
	t.Funcs(h.funcs(loc))
	h.zoned.Store(loc.String(), t)
	return t, nil
}

func (h *handler) render(w http.ResponseWriter, status int, name string, p *page) {
	var buf bytes.Buffer
	zone := p.zone
	if zone == nil {
		zone = time.UTC
	}
	pages, err := h.pagesIn(zone)
	if err == nil {
		err = pages.ExecuteTemplate(&buf, name, p)
	}
	if err != nil {
		h.d.Logger.Error("template failed", "template", name, "error", err.Error())
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if p.Public && status == http.StatusOK {
		w.Header().Set("Cache-Control", "private, no-cache")
	} else {
		w.Header().Set("Cache-Control", "no-store")
	}
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// tell renders a page that only tells something.
func (h *handler) tell(w http.ResponseWriter, status int, p *page, m message) {
	if p == nil {
		p = h.basePage(m.Heading, "")
	}
	p.Title = m.Heading
	p.Message = &m
	h.render(w, status, "message.html", p)
}

func (h *handler) unknown(w http.ResponseWriter, r *http.Request) {
	h.tell(w, http.StatusNotFound, nil, message{Heading: "Page not found", Text: "There is no page at this address.", Back: "/", BackText: "Go to the soreness check"})
}

// fault shows the page for an error of ours, and logs it.
func (h *handler) fault(w http.ResponseWriter, r *http.Request, err error, p *page) {
	h.d.Logger.LogAttrs(r.Context(), slog.LevelError, "page failed", slog.String("path", r.URL.Path), slog.String("error", err.Error()))
	h.tell(w, http.StatusInternalServerError, p, message{Heading: "Something went wrong", Text: "Something went wrong on our side. Please try again in a moment.", Back: "/", BackText: "Go to the soreness check"})
}

var telChars = regexp.MustCompile(`[^0-9+*#]`)

// telURL is the tel: link of a phone number, keeping only dialable characters.
func telURL(number string) template.URL {
	return template.URL("tel:" + telChars.ReplaceAllString(number, ""))
}

// safeNext returns next when it is a path on this site, else "".
func safeNext(next string) string {
	if next == "" || len(next) > 2000 || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return ""
	}
	for _, c := range next {
		if c == '\\' || c < 0x20 || c == 0x7f {
			return ""
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	return next
}

// links says where the client links made for r point and how long they work.
func (h *handler) links(r *http.Request) usecase.Links {
	return usecase.Links{BaseURL: h.base(r), TTL: h.d.LinkTTL}
}

// base is the public address for links: Deps.BaseURL, or the request's own.
func (h *handler) base(r *http.Request) string {
	if h.d.BaseURL != "" {
		return h.d.BaseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
