package httpapi

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"aftercare"
)

// SessionCookie is the name of the cookie that carries a staff sign-in.
const SessionCookie = "aftercare_session"

// Prefixes of the secrets the service hands out.
const (
	// TokenPrefix begins every API token.
	TokenPrefix = "act_"
	// SessionPrefix begins every staff session cookie's value.
	SessionPrefix = "acs_"
)

// secretChars is the length of the random part of a secret: 256 bits in
// unpadded base64url (aftercare.NewSecret).
const secretChars = 43

// touchEvery is how often a credential's last use is written at most.
const touchEvery = time.Minute

// parseSecret checks that text is prefix and 43 base64url characters, the
// shape of every secret aftercare.NewSecret makes.
func parseSecret(text, prefix string) bool {
	rest, ok := strings.CutPrefix(text, prefix)
	if !ok || len(rest) != secretChars {
		return false
	}
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// parseBearer reads an Authorization header of the form "Bearer act_…" and
// returns the token; any other header is EUNAUTHORIZED, naming the form wanted.
func parseBearer(header string) (string, error) {
	scheme, secret, ok := strings.Cut(strings.TrimSpace(header), " ")
	secret = strings.TrimSpace(secret)
	if !ok || !strings.EqualFold(scheme, "Bearer") || secret == "" {
		return "", aftercare.Errorf(aftercare.EUNAUTHORIZED, "Authorization", "the Authorization header must be Bearer <token>")
	}
	if !parseSecret(secret, TokenPrefix) {
		return "", badToken()
	}
	return secret, nil
}

func badToken() error {
	return aftercare.Errorf(aftercare.EUNAUTHORIZED, "Authorization", "the API token is not valid, or has been revoked or has expired")
}

// withMeta returns the request's context carrying its aftercare.RequestMeta:
// the caller's address, the route pattern and the request id.
func (s *server) withMeta(r *http.Request) context.Context {
	meta := aftercare.RequestMeta{Address: s.clientAddr(r), Route: s.route(r), RequestID: requestID(r.Context())}
	return aftercare.WithRequestMeta(r.Context(), meta)
}

// authenticate resolves the credential of every request, pages included: an
// Authorization: Bearer token, else the staff session cookie. It puts the
// principal (when the credential is good) and the request's
// aftercare.RequestMeta into the context; a refused credential is kept for
// the clinic routes to answer 401 with, while public routes serve on.
func (s *server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := infoOf(r.Context())
		ctx := s.withMeta(r)
		p, err := s.credential(ctx, w, r)
		if info != nil {
			info.credErr = err
			if p != nil || err != nil {
				info.noStore = true
			}
		}
		if p != nil {
			ctx = aftercare.WithPrincipal(ctx, p)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// credential returns the principal of the request's credential: nil and nil
// when it carries none, nil and an error when it carries a bad one.
func (s *server) credential(ctx context.Context, w http.ResponseWriter, r *http.Request) (*aftercare.Principal, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		return s.tokenPrincipal(ctx, h)
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	p, err := s.sessionPrincipal(ctx, c.Value)
	if aftercare.ErrorCode(err) == aftercare.EUNAUTHORIZED {
		// The browser holds a session that is over: have it forget it.
		http.SetCookie(w, s.sessionCookie(r, "", -1))
	}
	return p, err
}

// tokenPrincipal admits a live API token (neither revoked nor expired),
// compared by its SHA-256 hash.
func (s *server) tokenPrincipal(ctx context.Context, header string) (*aftercare.Principal, error) {
	secret, err := parseBearer(header)
	if err != nil {
		return nil, err
	}
	hash := aftercare.HashSecret(secret)
	tok, err := s.store.FindToken(ctx, hash)
	if aftercare.ErrorCode(err) == aftercare.ENOTFOUND {
		return nil, badToken()
	} else if err != nil {
		return nil, err
	}
	// The store looked the hash up; compare it again in constant time, so
	// no store's index or comparison decides alone.
	now := s.now()
	if !aftercare.SameHash(tok.Hash, hash) || tok.Expired(now) {
		return nil, badToken()
	}
	if tok.LastUsedAt == nil || now.Sub(*tok.LastUsedAt) >= touchEvery {
		if err := s.store.TouchToken(ctx, tok.ID, now); err != nil {
			s.logger.LogAttrs(ctx, slog.LevelWarn, "token not touched",
				slog.String("request_id", requestID(ctx)), slog.String("error", err.Error()))
		}
	}
	return &aftercare.Principal{ClinicID: tok.ClinicID, TokenID: tok.ID, Scopes: tok.Scopes}, nil
}

// sessionPrincipal admits a live staff session, and moves its idle end on
// (at most once a minute, never past its absolute end).
func (s *server) sessionPrincipal(ctx context.Context, value string) (*aftercare.Principal, error) {
	ended := aftercare.Errorf(aftercare.EUNAUTHORIZED, SessionCookie, "your sign-in has ended; sign in again at /login")
	if !parseSecret(value, SessionPrefix) {
		return nil, ended
	}
	hash := aftercare.HashSecret(value)
	now := s.now()
	ss, err := s.store.FindStaffSession(ctx, hash, now)
	if aftercare.ErrorCode(err) == aftercare.ENOTFOUND {
		return nil, ended
	} else if err != nil {
		return nil, err
	}
	if !aftercare.SameHash(ss.Hash, hash) || !ss.Live(now) || ss.User == nil {
		return nil, ended
	}
	if now.Sub(ss.LastSeenAt) >= touchEvery {
		idle := now.Add(aftercare.IdleTimeout)
		if idle.After(ss.ExpiresAt) {
			idle = ss.ExpiresAt
		}
		if err := s.store.TouchStaffSession(ctx, ss.ID, now, idle); err != nil {
			s.logger.LogAttrs(ctx, slog.LevelWarn, "session not touched",
				slog.String("request_id", requestID(ctx)), slog.String("error", err.Error()))
		}
	}
	u := ss.User
	return &aftercare.Principal{
		ClinicID: ss.ClinicID, UserID: u.ID, Email: u.Email, Role: u.Role, Scopes: aftercare.RoleScopes(u.Role),
	}, nil
}

// sessionCookie is the staff session cookie with value; maxAge -1 deletes it.
// It is HttpOnly, SameSite=Lax, for the whole site, and Secure over TLS.
func (s *server) sessionCookie(r *http.Request, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name:     SessionCookie,
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   s.overTLS(r),
		SameSite: http.SameSiteLaxMode,
	}
}

// clinicFunc is a handler of the clinic side, given the one door to the caller's clinic.
type clinicFunc func(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error

// clinic admits a request with a principal and hands the handler its
// aftercare.Access, the only way a clinic route reaches the store. A request
// without one is refused (401) and the attempt audited under no clinic; one
// whose principal lacks scope is refused (403), audited by the Access.
func (s *server) clinic(scope string, fn clinicFunc) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		a := aftercare.AccessFrom(ctx, s.store, s.now)
		if a == nil {
			var cerr error
			if info := infoOf(ctx); info != nil {
				cerr = info.credErr
			}
			switch aftercare.ErrorCode(cerr) {
			case "":
				cerr = aftercare.Errorf(aftercare.EUNAUTHORIZED, "Authorization", "this route needs an API token (Authorization: Bearer <token>) or a staff sign-in (POST /login)")
			case aftercare.EUNAUTHORIZED:
			default:
				// The credential could not be checked (the database, say).
				return cerr
			}
			s.audit(ctx, &aftercare.AuditEntry{Actor: "anonymous", Action: aftercare.AuditDenied, Outcome: aftercare.OutcomeDenied})
			return cerr
		}
		if err := a.Require(ctx, scope, scopeAction(scope), ""); err != nil {
			return err
		}
		return fn(w, r, a)
	}
}

// scopeAction is the audit action a route needing scope performs.
func scopeAction(scope string) string {
	switch scope {
	case aftercare.ScopeWrite:
		return aftercare.AuditCreate
	case aftercare.ScopeExport:
		return aftercare.AuditExport
	case aftercare.ScopeErase:
		return aftercare.AuditErase
	}
	return aftercare.AuditRead
}

// clientAddr is the caller's address: the connection's, or, when the
// connection comes from a trusted proxy, the nearest X-Forwarded-For address
// that is not itself a trusted proxy.
func (s *server) clientAddr(r *http.Request) string {
	remote := remoteIP(r)
	if !s.trusted(remote) {
		return addrString(remote, r.RemoteAddr)
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		ip, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		ip = ip.Unmap()
		if !s.trusted(ip) {
			return ip.String()
		}
	}
	return addrString(remote, r.RemoteAddr)
}

// fromTrustedProxy reports whether the connection comes from a trusted proxy.
func (s *server) fromTrustedProxy(r *http.Request) bool {
	return len(s.proxies) > 0 && s.trusted(remoteIP(r))
}

func (s *server) trusted(ip netip.Addr) bool {
	if !ip.IsValid() {
		return false
	}
	for _, p := range s.proxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// remoteIP is the address of the connection, or the zero Addr when unreadable.
func remoteIP(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return ip.Unmap()
}

func addrString(ip netip.Addr, raw string) string {
	if ip.IsValid() {
		return ip.String()
	}
	return clip(raw, 64)
}

// lastCSV returns the last element of comma-separated header values.
func lastCSV(values []string) string {
	all := strings.Join(values, ",")
	if i := strings.LastIndexByte(all, ','); i >= 0 {
		return all[i+1:]
	}
	return all
}

// ParseTrustedProxies reads a comma-separated list of addresses and CIDR
// prefixes, such as "127.0.0.1,10.0.0.0/8".
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if strings.Contains(f, "/") {
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, aftercare.Errorf(aftercare.EINVALID, "trusted-proxy", "%q is neither an IP address nor a CIDR prefix such as 10.0.0.0/8", f)
			}
			out = append(out, p.Masked())
			continue
		}
		ip, err := netip.ParseAddr(f)
		if err != nil {
			return nil, aftercare.Errorf(aftercare.EINVALID, "trusted-proxy", "%q is neither an IP address nor a CIDR prefix such as 10.0.0.0/8", f)
		}
		ip = ip.Unmap()
		out = append(out, netip.PrefixFrom(ip, ip.BitLen()))
	}
	return out, nil
}

// staffPage admits a request to a staff page only with a principal; without
// one the attempt is audited under no clinic and the browser is sent to sign
// in (303 to /login, with next= the page for a GET).
func (s *server) staffPage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if aftercare.PrincipalFrom(ctx) != nil {
			next.ServeHTTP(w, r)
			return
		}
		s.audit(ctx, &aftercare.AuditEntry{Actor: "anonymous", Action: aftercare.AuditDenied, Outcome: aftercare.OutcomeDenied})
		to := "/login"
		if r.Method == http.MethodGet {
			to += "?next=" + url.QueryEscape(r.URL.Path)
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
	})
}
