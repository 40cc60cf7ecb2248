package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// fetch sends a GET with the Accept-Encoding given (none when empty), as a
// browser would, and returns the response with its body undecoded.
func (h *harness) fetch(t *testing.T, path, acceptEncoding string, opts ...reqOpt) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", h.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range opts {
		o(req)
	}
	// Set by hand, the transport leaves the body encoded as it came.
	req.Header.Set("Accept-Encoding", acceptEncoding)
	if acceptEncoding == "" {
		req.Header.Set("Accept-Encoding", "identity")
	}
	resp, err := h.client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("a broken gzip stream: %v", err)
	}
	return out
}

func TestCompression(t *testing.T) {
	h := newHarness(t, "SQLite")
	for i := range 20 {
		h.createClient(t, fmt.Sprintf("Greta Gzip %d", i))
	}
	tests := []struct {
		name, path string
		opts       []reqOpt
		wantType   string
	}{
		{"the home page", "/", nil, "text/html"},
		{"the guide", "/guide", nil, "text/html"},
		{"the style sheet", "/static/style.css", nil, "text/css"},
		{"the script", "/static/app.js", nil, "text/javascript"},
		{"the API's list of clients", "/api/v1/clients", []reqOpt{bearer(h.token)}, "application/json"},
		{"the OpenAPI document", "/api/v1/openapi.json", nil, "application/json"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" comes gzip-compressed and decodes to what is sent plain", func(t *testing.T) {
			plain, plainBody := h.fetch(t, tt.path, "", tt.opts...)
			zipped, zippedBody := h.fetch(t, tt.path, "gzip, deflate, br", tt.opts...)
			if plain.StatusCode != 200 || zipped.StatusCode != 200 {
				t.Fatalf("status %d plain, %d compressed", plain.StatusCode, zipped.StatusCode)
			}
			if !strings.HasPrefix(zipped.Header.Get("Content-Type"), tt.wantType) {
				t.Errorf("Content-Type %q, want %s", zipped.Header.Get("Content-Type"), tt.wantType)
			}
			if ce := plain.Header.Get("Content-Encoding"); ce != "" {
				t.Errorf("sent %s to a caller that did not ask for it", ce)
			}
			if ce := zipped.Header.Get("Content-Encoding"); ce != "gzip" {
				t.Fatalf("Content-Encoding %q, want gzip", ce)
			}
			for _, r := range []*http.Response{plain, zipped} {
				if !strings.Contains(strings.Join(r.Header.Values("Vary"), ","), "Accept-Encoding") {
					t.Errorf("Vary %q lacks Accept-Encoding", r.Header.Values("Vary"))
				}
			}
			if len(zippedBody) >= len(plainBody) {
				t.Errorf("compressed %d bytes, plain %d", len(zippedBody), len(plainBody))
			}
			got := gunzip(t, zippedBody)
			// The pages carry a fresh one-time key in each form; the rest is the same.
			if norm(got) != norm(plainBody) {
				t.Errorf("decoded body differs from the plain one:\n%.300s\n---\n%.300s", got, plainBody)
			}
		})
	}
	t.Run("a caller that refuses gzip gets the body plain", func(t *testing.T) {
		r, b := h.fetch(t, "/", "gzip;q=0, identity")
		if r.Header.Get("Content-Encoding") != "" || !bytes.Contains(b, []byte("<!doctype html>")) {
			t.Errorf("Content-Encoding %q, body %.60q", r.Header.Get("Content-Encoding"), b)
		}
	})
	t.Run("a tiny body goes as it is", func(t *testing.T) {
		r, b := h.fetch(t, "/healthz", "gzip")
		if r.Header.Get("Content-Encoding") != "" {
			t.Errorf("a %d-byte body sent %s", len(b), r.Header.Get("Content-Encoding"))
		}
	})
	t.Run("a range of a file goes as it is", func(t *testing.T) {
		r, b := h.fetch(t, "/static/style.css", "gzip", header("Range", "bytes=0-99"))
		if r.StatusCode != http.StatusPartialContent || r.Header.Get("Content-Encoding") != "" || len(b) != 100 {
			t.Errorf("status %d, Content-Encoding %q, %d bytes", r.StatusCode, r.Header.Get("Content-Encoding"), len(b))
		}
	})
}

// norm blanks the one-time form keys of a page.
func norm(b []byte) string {
	s := string(b)
	for {
		i := strings.Index(s, `name="key" value="k_`)
		if i < 0 {
			return s
		}
		j := i + len(`name="key" value="`)
		k := strings.IndexByte(s[j:], '"')
		s = s[:i] + `name="key" value=""` + s[j+k+1:]
	}
}
