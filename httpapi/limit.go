package httpapi

import (
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"aftercare"
)

// DefaultAssessRate is how many requests a minute one address may make to
// the public assessment doors unless told otherwise.
const DefaultAssessRate = 120

// maxBuckets bounds the addresses the limiter remembers; past it, the buckets
// that have refilled are forgotten, and if none has, the oldest are.
const maxBuckets = 100_000

// limitedRoutes are the public routes that run the engine for anyone: each
// address may make Deps.AssessRate requests a minute to them, together.
var limitedRoutes = map[string]bool{
	"POST /api/v1/assessments":             true,
	"POST /check":                          true,
	"POST /cds-services/aftercare-checkin": true,
}

// Check-ins through a client's link, on both link doors (the API's and the
// page's): a link may record LinkCheckInsPerHour, and one address
// AddressCheckInsPerHour across links, so that a leaked link cannot flood a
// clinic with flags. A client checks in a few times a session; a retry or a
// reload stays well inside these.
const (
	// LinkCheckInsPerHour is how many check-ins one link may send in an hour.
	LinkCheckInsPerHour = 10
	// AddressCheckInsPerHour is how many check-ins one address may send in an hour, through any links.
	AddressCheckInsPerHour = 30
)

// linkRoutes are the routes that record a check-in through a client's link.
var linkRoutes = map[string]bool{
	"POST /api/v1/checkin/{token}": true,
	"POST /c/{token}":              true,
}

// linkLimits are the check-in limits per link and per address.
type linkLimits struct{ byLink, byAddr *limiter }

func newLinkLimits() *linkLimits {
	return &linkLimits{byLink: newLimiter(LinkCheckInsPerHour, time.Hour), byAddr: newLimiter(AddressCheckInsPerHour, time.Hour)}
}

// give returns one check-in to the link and to the address.
func (l *linkLimits) give(token, addr string) {
	l.byLink.give(token)
	l.byAddr.give(addr)
}

// take spends one check-in of the link and one of the address; when either
// has none left it returns how long until it has, and false.
func (l *linkLimits) take(token, addr string, now time.Time) (time.Duration, string, bool) {
	if wait, ok := l.byLink.take(token, now); !ok {
		return wait, "this link has sent", false
	}
	if wait, ok := l.byAddr.take(addr, now); !ok {
		return wait, "your address has sent", false
	}
	return 0, "", true
}

// limit refuses a request to a limited route (429, with Retry-After in
// seconds) when its address has used up its requests for now, and a check-in
// through a link when the link or the address has used up its check-ins.
func (s *server) limit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if route := s.route(r); linkRoutes[route] {
			addr := addressKey(aftercare.RequestMetaFrom(r.Context()).Address)
			token := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
			key := string(aftercare.HashSecret(token))
			if wait, who, ok := s.linkLimits.take(key, addr, s.now()); !ok {
				secs := max(int(math.Ceil(wait.Seconds())), 1)
				w.Header().Set("Retry-After", strconv.Itoa(secs))
				s.writeError(w, r, aftercare.Errorf(aftercare.ERATELIMIT, "",
					"%s too many check-ins for now; if you feel worse, call your doctor or the emergency number, and try again in %d minutes", who, (secs+59)/60))
				return
			}
			// Only what was recorded counts: a refused request gives its
			// check-in back, so a client's mistakes never use up the link.
			sw := &recorder{ResponseWriter: w, status: http.StatusOK}
			next.ServeHTTP(sw, r)
			if sw.status >= 400 {
				s.linkLimits.give(key, addr)
			}
			return
		}
		if s.limiter != nil && limitedRoutes[s.route(r)] {
			addr := addressKey(aftercare.RequestMetaFrom(r.Context()).Address)
			if wait, ok := s.limiter.take(addr, s.now()); !ok {
				secs := int(math.Ceil(wait.Seconds()))
				w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
				s.writeError(w, r, aftercare.Errorf(aftercare.ERATELIMIT, "",
					"too many assessments from your address: the limit is %d a minute; try again in %d s", s.limiter.rate, max(secs, 1)))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// addressKey is what a caller's address counts under for the limits: an IPv4
// address as it is, an IPv6 address by its /64 network, which one household
// or server is usually given whole.
func addressKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil || ip.Is4() || ip.Is4In6() {
		return addr
	}
	return netip.PrefixFrom(ip, 64).Masked().String()
}

// limiter is a token bucket per address, in memory: each bucket holds up to
// rate tokens and gains rate tokens per period; a request takes one.
type limiter struct {
	rate   int
	period time.Duration

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(rate int, period time.Duration) *limiter {
	return &limiter{rate: rate, period: period, buckets: map[string]*bucket{}}
}

// take spends one token of addr's bucket at now; when there is none it
// returns how long until there is one, and false.
func (l *limiter) take(addr string, now time.Time) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	perToken := l.period / time.Duration(l.rate)
	b, ok := l.buckets[addr]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			l.sweep(now)
		}
		b = &bucket{tokens: float64(l.rate), at: now}
		l.buckets[addr] = b
	}
	if elapsed := now.Sub(b.at); elapsed > 0 {
		b.tokens = min(float64(l.rate), b.tokens+float64(elapsed)/float64(perToken))
		b.at = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return 0, true
	}
	return time.Duration((1 - b.tokens) * float64(perToken)), false
}

// give puts back a token taken from key's bucket, up to the bucket's size.
func (l *limiter) give(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b, ok := l.buckets[key]; ok {
		b.tokens = min(float64(l.rate), b.tokens+1)
	}
}

// sweep forgets the buckets that are full again; if none is, half of them,
// so memory stays bounded under a flood of addresses.
func (l *limiter) sweep(now time.Time) {
	for addr, b := range l.buckets {
		if b.tokens+float64(now.Sub(b.at))/float64(l.period/time.Duration(l.rate)) >= float64(l.rate) {
			delete(l.buckets, addr)
		}
	}
	if len(l.buckets) < maxBuckets {
		return
	}
	n := 0
	for addr := range l.buckets {
		delete(l.buckets, addr)
		if n++; n >= maxBuckets/2 {
			break
		}
	}
}
