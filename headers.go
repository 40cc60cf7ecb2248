package aftercare

// The security headers are the product's, not one door's: the API
// (httpapi) and the pages (web) both set them on every answer.

// ContentSecurityPolicy is the policy of every response: the service's own
// scripts, styles and images only (no inline script), forms posted only to
// itself, never framed.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// SetSecurityHeaders sets the headers every response carries, whoever serves
// it (the API or the pages): the Content-Security-Policy, nosniff, no
// framing, the referrer and opener policies. h is an http.Header.
func SetSecurityHeaders(h map[string][]string) {
	for _, kv := range securityHeaders {
		h[kv.key] = kv.value
	}
}

// securityHeaders are SetSecurityHeaders' headers, their keys in canonical
// form and their values built once: every response shares these slices
// (http.Header.Set would build a new one per header per response), so they
// are never modified in place; Set or Add on such a header replaces or copies it.
var securityHeaders = []struct {
	key   string
	value []string
}{
	{"Content-Security-Policy", []string{ContentSecurityPolicy}},
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"X-Frame-Options", []string{"DENY"}},
	{"Referrer-Policy", []string{"same-origin"}},
	{"Cross-Origin-Opener-Policy", []string{"same-origin"}},
}
