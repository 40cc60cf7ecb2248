package httpapi

import (
	"compress/gzip"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Responses of text (pages, style sheet, script, JSON, SVG, CSV) are sent
// gzip-compressed to a caller that accepts it, and say Vary: Accept-Encoding.
// A body under minCompressBytes, one already encoded, a range of a file and
// the answer to HEAD go as they are.

// minCompressBytes is the smallest body worth compressing: below it, gzip's
// header and the work cost more than they save.
const minCompressBytes = 1024

// compressible reports whether a response of this Content-Type is text that gzip shrinks.
func compressible(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(mt, "text/"):
		return true
	case mt == "application/json", strings.HasSuffix(mt, "+json"), mt == "application/javascript",
		mt == "image/svg+xml", mt == "application/xml", strings.HasSuffix(mt, "+xml"):
		return true
	}
	return false
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip
// (named, or by "*", with a q-value above zero).
func acceptsGzip(r *http.Request) bool {
	ok := false
	for _, v := range r.Header.Values("Accept-Encoding") {
		for part := range strings.SplitSeq(v, ",") {
			name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			name = strings.ToLower(strings.TrimSpace(name))
			if name != "gzip" && name != "*" {
				continue
			}
			q := 1.0
			if k, val, found := strings.Cut(strings.TrimSpace(params), "="); found && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil {
					q = f
				}
			}
			if name == "gzip" {
				return q > 0
			}
			ok = q > 0
		}
	}
	return ok
}

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
	return w
}}

// compress sends the responses of text gzip-compressed when the caller accepts it.
func compress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead || r.Header.Get("Range") != "" {
			next.ServeHTTP(w, r)
			return
		}
		if !acceptsGzip(r) {
			// Nothing will be compressed: say that the answer varies with
			// what the client accepts, and leave the writer as it is.
			w.Header().Add("Vary", "Accept-Encoding")
			next.ServeHTTP(w, r)
			return
		}
		cw := &compressWriter{ResponseWriter: w, accept: true}
		defer cw.close()
		next.ServeHTTP(cw, r)
	})
}

// compressWriter holds back the start of a response until it knows whether
// to compress it: the status and headers, and up to minCompressBytes of body.
type compressWriter struct {
	http.ResponseWriter
	accept bool
	// status is the status asked for; 0 until WriteHeader.
	status int
	// decided is true once the headers are sent, gz set when compressing.
	decided bool
	gz      *gzip.Writer
	// candidate is true when the response may yet be compressed; buf holds its first bytes.
	candidate bool
	buf       []byte
}

func (cw *compressWriter) WriteHeader(code int) {
	if cw.status != 0 || cw.decided {
		return
	}
	if code >= 100 && code < 200 {
		cw.ResponseWriter.WriteHeader(code)
		return
	}
	cw.status = code
	h := cw.Header()
	if compressible(h.Get("Content-Type")) && h.Get("Content-Encoding") == "" &&
		code != http.StatusNoContent && code != http.StatusNotModified && code != http.StatusPartialContent {
		h.Add("Vary", "Accept-Encoding")
		cw.candidate = cw.accept
	}
	if !cw.candidate {
		cw.start(false)
	}
}

// start sends the headers, for a compressed body or a plain one.
func (cw *compressWriter) start(gz bool) {
	cw.decided = true
	if gz {
		h := cw.Header()
		h.Set("Content-Encoding", "gzip")
		h.Del("Content-Length")
		if etag := h.Get("ETag"); etag != "" && !strings.HasPrefix(etag, "W/") {
			h.Set("ETag", "W/"+etag)
		}
		cw.gz = gzipWriters.Get().(*gzip.Writer)
		cw.gz.Reset(cw.ResponseWriter)
	}
	cw.ResponseWriter.WriteHeader(cw.status)
}

func (cw *compressWriter) Write(b []byte) (int, error) {
	if cw.status == 0 {
		if cw.Header().Get("Content-Type") == "" {
			cw.Header().Set("Content-Type", http.DetectContentType(b))
		}
		cw.WriteHeader(http.StatusOK)
	}
	if !cw.decided {
		if len(cw.buf)+len(b) < minCompressBytes {
			cw.buf = append(cw.buf, b...)
			return len(b), nil
		}
		cw.start(true)
		if len(cw.buf) > 0 {
			if _, err := cw.gz.Write(cw.buf); err != nil {
				return 0, err
			}
			cw.buf = nil
		}
	}
	if cw.gz != nil {
		return cw.gz.Write(b)
	}
	return cw.ResponseWriter.Write(b)
}

// Flush sends what is held back (compressing from then on if it is text) and flushes.
func (cw *compressWriter) Flush() {
	if cw.status != 0 && !cw.decided {
		cw.start(true)
		if len(cw.buf) > 0 {
			_, _ = cw.gz.Write(cw.buf)
			cw.buf = nil
		}
	}
	if cw.gz != nil {
		_ = cw.gz.Flush()
	}
	_ = http.NewResponseController(cw.ResponseWriter).Flush()
}

// close ends the response: a small body held back goes as it is.
func (cw *compressWriter) close() {
	if cw.status != 0 && !cw.decided {
		if cw.Header().Get("Content-Length") == "" {
			cw.Header().Set("Content-Length", strconv.Itoa(len(cw.buf)))
		}
		cw.start(false)
		if len(cw.buf) > 0 {
			_, _ = cw.ResponseWriter.Write(cw.buf)
		}
	}
	if cw.gz != nil {
		_ = cw.gz.Close()
		cw.gz.Reset(nil)
		gzipWriters.Put(cw.gz)
		cw.gz = nil
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (cw *compressWriter) Unwrap() http.ResponseWriter { return cw.ResponseWriter }
