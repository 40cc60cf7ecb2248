package web

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"aftercare"
	"aftercare/usecase"
)

// Every form that stores something carries a one-time key, made when the
// form is rendered, and the post is answered with a redirect (303) to a page
// that shows what was stored. A reload, Back and Forward, or a second tap
// then store nothing more:
//
//   - a check-in is stored under the key through the stores' idempotent path
//     (aftercare.CheckIn.IdempotencyKey, the API's Idempotency-Key), so a second
//     post of the same form returns the check-in stored the first time, and
//     raises no second flag;
//   - a session's client link is made from the key (linkToken), and links are
//     unique, so a second post of the same form finds the session it recorded
//     by its link instead of recording another.

// formKeyPrefix begins every form key.
const formKeyPrefix = "k_"

// newFormKey returns a fresh one-time key for a form.
func newFormKey() string {
	key, _ := aftercare.NewSecret(formKeyPrefix)
	return key
}

// formKey returns the posted key when it has the shape of one newFormKey
// makes, and "" for anything else.
func formKey(v string) string {
	rest, ok := strings.CutPrefix(v, formKeyPrefix)
	if !ok || len(rest) != 43 {
		return ""
	}
	if _, err := base64.RawURLEncoding.DecodeString(rest); err != nil {
		return ""
	}
	return v
}

// checkInKey is the idempotency key a check-in form is stored under: the
// form's key with the hash of what it says, so that the same form posted
// again stores nothing, and a form changed and sent again (after Back) is a
// new check-in, never answered with the grade of the first.
func checkInKey(key string, req *aftercare.Request) (string, []byte) {
	b, _ := json.Marshal(req)
	sum := sha256.Sum256(b)
	return key + "." + base64.RawURLEncoding.EncodeToString(sum[:]), sum[:]
}

// keyedDoor stores each check-in under one idempotency key.
type keyedDoor struct {
	door usecase.CheckInDoor
	key  string
	hash []byte
}

// CreateCheckIn stores c under the door's key; a check-in already stored
// under it comes back instead, with c.Replayed set.
func (k keyedDoor) CreateCheckIn(ctx context.Context, c *aftercare.CheckIn) (*aftercare.Flag, error) {
	c.IdempotencyKey, c.RequestHash = k.key, k.hash
	return k.door.CreateCheckIn(ctx, c)
}

// linkToken is the client link token a session form with this key makes:
// 256 bits drawn from the key, in the shape of usecase.ParseToken.
func linkToken(key string) string {
	sum := sha256.Sum256([]byte("aftercare client link\x00" + key))
	return usecase.TokenPrefix + base64.RawURLEncoding.EncodeToString(sum[:])
}

// linkCookie carries a client link made by a form to the page the form
// redirects to, which shows it: the link is kept only as a hash, and a link
// in an address would stay in the browser's history. It lasts
// linkCookieAge, for that session's page only.
const (
	linkCookie    = "aftercare_link"
	linkCookieAge = 15 * time.Minute
)

func sessionPath(id int64) string { return "/staff/sessions/" + strconv.FormatInt(id, 10) }

// setLinkCookie hands the session's page the link token to show.
func (h *handler) setLinkCookie(w http.ResponseWriter, r *http.Request, sessionID int64, token string) {
	http.SetCookie(w, &http.Cookie{
		Name:     linkCookie,
		Value:    token,
		Path:     sessionPath(sessionID),
		MaxAge:   int(linkCookieAge / time.Second),
		HttpOnly: true,
		Secure:   r.TLS != nil || strings.HasPrefix(h.d.BaseURL, "https://"),
		SameSite: http.SameSiteStrictMode,
	})
}

// linkOf returns the session that a live link token opens, when it is a
// session of clinicID; nil when there is none.
func (h *handler) linkOf(ctx context.Context, clinicID int64, token string) (*aftercare.Session, error) {
	if usecase.ParseToken(token) != nil {
		return nil, nil
	}
	s, err := h.d.Store.FindSessionByLink(ctx, aftercare.HashSecret(token), h.d.Now().UTC())
	if aftercare.ErrorCode(err) == aftercare.ENOTFOUND || err == nil && s.ClinicID != clinicID {
		return nil, nil
	}
	return s, err
}

// Forms whose records have no place for a key (a new client, a screening)
// are kept once by the process: the first post of a key stores, and a
// second one (a double tap, a reload of the post) waits for it and is sent
// where it was sent. This holds within one server, which is where a double
// tap lands; a key older than recentKeyAge is forgotten.
const (
	recentKeyAge = 30 * time.Minute
	maxRecentKey = 10000
)

// recentKeys are the keys of recent posts and where each was answered.
type recentKeys struct {
	mu   sync.Mutex
	seen map[string]*recentPost
}

// recentPost is one post under a key: done is closed once to (the
// redirect's target) or err is known.
type recentPost struct {
	at   time.Time
	done chan struct{}
	to   string
	err  error
}

// once runs store for the first post under key (scoped to a clinic by the
// caller) and returns where to send the browser; a later post under the
// same key waits for the first and gets its answer. A failed store is
// forgotten, so that the form can be sent again. An empty key always stores.
func (k *recentKeys) once(key string, now time.Time, store func() (string, error)) (string, error) {
	if key == "" {
		return store()
	}
	k.mu.Lock()
	if k.seen == nil {
		k.seen = map[string]*recentPost{}
	}
	if p, ok := k.seen[key]; ok && now.Sub(p.at) < recentKeyAge {
		k.mu.Unlock()
		<-p.done
		return p.to, p.err
	}
	if len(k.seen) >= maxRecentKey {
		for old, p := range k.seen {
			if now.Sub(p.at) >= recentKeyAge {
				delete(k.seen, old)
			}
		}
	}
	p := &recentPost{at: now, done: make(chan struct{})}
	k.seen[key] = p
	k.mu.Unlock()

	p.to, p.err = store()
	if p.err != nil {
		k.mu.Lock()
		delete(k.seen, key)
		k.mu.Unlock()
	}
	close(p.done)
	return p.to, p.err
}
