package aftercare

import (
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
)

// Application error codes. Adapters map them to their own vocabulary (HTTP
// status, exit code) in one place each.
const (
	// EINVALID marks a request that breaks the contract (unknown code, value out of range, malformed body).
	EINVALID = "invalid"
	// ENOTFOUND marks something that does not exist, or that the caller may not see.
	ENOTFOUND = "not_found"
	// EUNAUTHORIZED marks a missing, wrong, expired or revoked credential.
	EUNAUTHORIZED = "unauthorized"
	// EFORBIDDEN marks a caller who is known but may not do this.
	EFORBIDDEN = "forbidden"
	// ECONFLICT marks a change that clashes with what is stored.
	ECONFLICT = "conflict"
	// ETOOLARGE marks a body over the size limit.
	ETOOLARGE = "too_large"
	// EUNSUPPORTED marks a media type the door does not take.
	EUNSUPPORTED = "unsupported_media_type"
	// EMETHOD marks a method the route does not take.
	EMETHOD = "method_not_allowed"
	// ERATELIMIT marks a caller who must slow down.
	ERATELIMIT = "rate_limited"
	// EUNAVAILABLE marks a dependency (such as the database) that is down for now.
	EUNAVAILABLE = "unavailable"
	// EINTERNAL marks a fault of the service itself.
	EINTERNAL = "internal"
)

// Error is an application error: a code from the list above, a message a person
// can act on, and the request field it concerns (empty when none).
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// Error returns the message, prefixed with the field when there is one. It
// carries no program name: each door says where the error comes from once
// (the command line's "aftercare: ").
func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

// Errorf returns an application error with the given code and field.
func Errorf(code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of an application error, EUNAVAILABLE for a
// broken or refused connection (see Unreachable), EINTERNAL for any other
// error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	} else if Unreachable(err) {
		return EUNAVAILABLE
	}
	return EINTERNAL
}

// ErrorMessage returns the message of an application error, or a generic one
// for any other error so internals are never shown.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	} else if Unreachable(err) {
		return "the database or a service it needs is unavailable; try again shortly"
	}
	return "internal error"
}

// Unreachable reports whether err comes from a connection that broke or was
// refused (to the database, say, as it stops): a dependency down for now,
// which a retry may get past, rather than a fault of the service.
func Unreachable(err error) bool {
	var op *net.OpError
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) || errors.As(err, &op)
}

// ErrorField returns the field of an application error, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// wrapped is an application error with the fault behind it: errors.As finds
// the application error (what the caller is told), errors.Unwrap the cause
// (what the logs keep).
type wrapped struct {
	app   *Error
	cause error
}

// WrapError returns app with cause behind it.
func WrapError(app *Error, cause error) error { return &wrapped{app, cause} }

func (w *wrapped) Error() string { return w.app.Error() + ": " + w.cause.Error() }

func (w *wrapped) Unwrap() error { return w.cause }

func (w *wrapped) As(target any) bool {
	if p, ok := target.(**Error); ok {
		*p = w.app
		return true
	}
	return false
}
