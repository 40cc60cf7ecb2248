package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"aftercare"
)

// MaxBodyBytes is the largest request body the API reads (1 MiB).
const MaxBodyBytes = 1 << 20

// statusOf maps each application error code to its HTTP status: the one place
// where the API's errors meet HTTP.
var statusOf = map[string]int{
	aftercare.EINVALID:      http.StatusBadRequest,
	aftercare.ENOTFOUND:     http.StatusNotFound,
	aftercare.EUNAUTHORIZED: http.StatusUnauthorized,
	aftercare.EFORBIDDEN:    http.StatusForbidden,
	aftercare.ECONFLICT:     http.StatusConflict,
	aftercare.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	aftercare.EUNSUPPORTED:  http.StatusUnsupportedMediaType,
	aftercare.EMETHOD:       http.StatusMethodNotAllowed,
	aftercare.ERATELIMIT:    http.StatusTooManyRequests,
	aftercare.EUNAVAILABLE:  http.StatusServiceUnavailable,
	aftercare.EINTERNAL:     http.StatusInternalServerError,
}

// errorBody is the shape of every error the API returns.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field"`
}

// writeJSON writes v as the JSON body with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	writeJSONAs(w, status, "application/json", v)
}

// writeJSONAs writes v as a JSON body of the given media type, such as
// application/fhir+json; an encoding failure is a plain application/json error.
// The body is built in a pooled buffer and sent with its Content-Length (not
// chunked).
func writeJSONAs(w http.ResponseWriter, status int, contentType string, v any) {
	body := bodyPool.Get().(*jsonBody)
	defer body.put()
	body.buf.Reset()
	if err := body.enc.Encode(v); err != nil {
		// Only a bug in a type's marshalling gets here; Encode wrote nothing.
		status, contentType = http.StatusInternalServerError, "application/json"
		_ = body.enc.Encode(errorBody{errorDetail{Code: aftercare.EINTERNAL, Message: "internal error"}})
	}
	b := body.buf.Bytes()
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// jsonBody is a buffer an answer is built in, with an encoder that writes
// to it as encoding/json does with HTML escaping off, a newline after each
// value; both are reused from bodyPool.
type jsonBody struct {
	buf bytes.Buffer
	enc *json.Encoder
}

// bodyPool holds the buffers answers are built in.
var bodyPool = sync.Pool{New: func() any {
	body := new(jsonBody)
	body.buf.Grow(8 << 10)
	body.enc = json.NewEncoder(&body.buf)
	body.enc.SetEscapeHTML(false)
	return body
}}

// put returns the buffer to bodyPool, unless an unusually large answer grew
// it, so that one export does not pin its memory for good.
func (body *jsonBody) put() {
	if body.buf.Cap() <= 64<<10 {
		bodyPool.Put(body)
	}
}

// writeError writes err in the error shape, with the status of its code. The
// message of an internal error is never shown; the error is logged instead.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := aftercare.ErrorCode(err)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		code = aftercare.EUNAVAILABLE
		err = aftercare.Errorf(aftercare.EUNAVAILABLE, "", "the service is busy; try again shortly")
	}
	status, ok := statusOf[code]
	if !ok {
		code, status = aftercare.EINTERNAL, http.StatusInternalServerError
	}
	msg, field := aftercare.ErrorMessage(err), aftercare.ErrorField(err)
	if code == aftercare.EINTERNAL {
		s.logger.LogAttrs(r.Context(), slog.LevelError, "request failed",
			slog.String("request_id", requestID(r.Context())), slog.String("error", err.Error()))
		msg, field = "internal error", ""
	}
	if code == aftercare.EUNAUTHORIZED {
		w.Header().Set("WWW-Authenticate", `Bearer realm="aftercare"`)
	}
	writeJSON(w, status, errorBody{errorDetail{Code: code, Message: msg, Field: field}})
}

// readRequest reads an assessment request from a JSON body (aftercare.DecodeRequest).
func readRequest(w http.ResponseWriter, r *http.Request) (aftercare.Request, error) {
	data, err := readJSONBody(w, r)
	if err != nil {
		return aftercare.Request{}, err
	}
	return aftercare.DecodeRequest(data)
}

// readJSONBody checks that the body is JSON and returns it, at most MaxBodyBytes.
func readJSONBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	data, _, err := readBodyOf(w, r, "application/json")
	return data, err
}

// readBodyOf checks that the body is sent as one of the given JSON media
// types and returns it, at most MaxBodyBytes, with the media type it came as.
func readBodyOf(w http.ResponseWriter, r *http.Request, types ...string) ([]byte, string, error) {
	ct := r.Header.Get("Content-Type")
	if slices.Contains(types, ct) {
		// The plain media type, as nearly every client sends it: nothing to parse.
		data, err := readLimited(w, r, nil)
		return data, ct, err
	}
	mt, params, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || !slices.Contains(types, mt) {
		got := ct
		if got == "" {
			got = "none"
		}
		return nil, "", aftercare.Errorf(aftercare.EUNSUPPORTED, "Content-Type", "the body must be JSON sent as Content-Type: %s, not %s", strings.Join(types, " or "), got)
	}
	data, err := readLimited(w, r, params)
	return data, mt, err
}

func readLimited(w http.ResponseWriter, r *http.Request, params map[string]string) ([]byte, error) {
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return nil, aftercare.Errorf(aftercare.EUNSUPPORTED, "Content-Type", "the body must be UTF-8, not %s", cs)
	}
	if r.ContentLength > MaxBodyBytes {
		return nil, tooLarge()
	}
	body := http.MaxBytesReader(w, r.Body, MaxBodyBytes)
	var data []byte
	var err error
	if n := r.ContentLength; n > 0 {
		// The length is known (and net/http holds the body to it): read it
		// into one buffer of that size rather than growing one.
		data = make([]byte, n)
		_, err = io.ReadFull(body, data)
	} else {
		data, err = io.ReadAll(body)
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge()
		}
		return nil, aftercare.Errorf(aftercare.EINVALID, "request", "the body could not be read")
	}
	return data, nil
}

func tooLarge() error {
	return aftercare.Errorf(aftercare.ETOOLARGE, "request", "the body is larger than %d bytes (1 MiB)", MaxBodyBytes)
}

// decodeJSON reads one JSON object into v, refusing unknown fields and
// anything after the object.
func decodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			name = strings.Trim(name, `"`)
			return aftercare.Errorf(aftercare.EINVALID, name, "unknown field %q; allowed: %s", name, fieldsOf(v))
		}
		return aftercare.DecodeJSONError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return aftercare.Errorf(aftercare.EINVALID, "request", "the body must hold exactly one JSON object")
	}
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return aftercare.Errorf(aftercare.EINVALID, "request", "the body must be a JSON object, not null")
	}
	return nil
}

// fieldsOf lists the JSON field names of the struct v points to.
func fieldsOf(v any) string {
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return ""
	}
	var names []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			names = append(names, name)
		}
	}
	return strings.Join(names, ", ")
}

// pathID reads a numeric id from the path; an id that is not a positive
// number names nothing, so it is not found.
func pathID(r *http.Request, name, what string) (int64, error) {
	raw := r.PathValue(name)
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != raw {
		return 0, aftercare.Errorf(aftercare.ENOTFOUND, name, "no %s %q", what, raw)
	}
	return id, nil
}
