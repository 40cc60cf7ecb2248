package httpapi

import (
	"context"
	"net"
	"net/http"
	"sync"
)

// An answer larger than net/http's 4 KiB connection buffer (an assessment is
// about 5 kB) leaves the server in two write system calls: the buffer full of
// headers and body, then the rest when the handler returns. On loopback and
// on a busy server each write costs about as much as the bytes it carries, so
// a JSON answer of that size is sent in one: its connection holds the
// buffer's writes while the answer is flushed, then writes them together.
//
// Listener and ConnContext wire this into an http.Server; a connection that
// did not come from Listener (TLS, httptest) writes as net/http does.

// oneWriteMin is the smallest body sent through a held connection; below it
// net/http writes headers and body in one call already.
const oneWriteMin = 3 << 10

// oneWriteMax is the largest body held: above it two writes cost little
// against the bytes, and nothing large is copied.
const oneWriteMax = 64 << 10

// Listener wraps ln so that the server's large JSON answers each leave in
// one write; serve them with ConnContext set as the http.Server's ConnContext.
func Listener(ln net.Listener) net.Listener { return oneWriteListener{ln} }

// ConnContext is the http.Server ConnContext that lets handlers reach a
// connection accepted by Listener.
func ConnContext(ctx context.Context, c net.Conn) context.Context {
	if hc, ok := c.(*heldConn); ok {
		return context.WithValue(ctx, heldConnKey{}, hc)
	}
	return ctx
}

type oneWriteListener struct{ net.Listener }

func (l oneWriteListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &heldConn{Conn: c}, nil
}

type heldConnKey struct{}

// heldConn is a connection whose writes can be held and sent as one. Only
// the goroutine serving the connection writes to it (HTTP/1.1), so it needs
// no lock.
type heldConn struct {
	net.Conn
	held *[]byte // non-nil while writes are held
}

// heldPool holds the buffers of held writes.
var heldPool = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}

func (c *heldConn) Write(p []byte) (int, error) {
	if c.held != nil {
		*c.held = append(*c.held, p...)
		return len(p), nil
	}
	return c.Conn.Write(p)
}

// hold starts keeping writes back.
func (c *heldConn) hold() {
	c.held = heldPool.Get().(*[]byte)
}

// release writes what was held in one call. If that fails the connection is
// closed, as net/http closes one whose write failed.
func (c *heldConn) release() {
	buf := c.held
	c.held = nil
	if len(*buf) > 0 {
		if _, err := c.Conn.Write(*buf); err != nil {
			_ = c.Conn.Close()
		}
	}
	*buf = (*buf)[:0]
	heldPool.Put(buf)
}

// heldConnOf returns the held connection a request arrived on, or nil.
func heldConnOf(r *http.Request) *heldConn {
	c, _ := r.Context().Value(heldConnKey{}).(*heldConn)
	return c
}

// heldConnOfWriter returns the held connection behind w, which observe's
// recorder keeps, or nil.
func heldConnOfWriter(w http.ResponseWriter) *heldConn {
	for {
		switch x := w.(type) {
		case *recorder:
			return x.conn
		case interface{ Unwrap() http.ResponseWriter }:
			w = x.Unwrap()
		default:
			return nil
		}
	}
}

// writeOnce writes a complete body whose Content-Length is set, in one write
// when the connection allows it.
func writeOnce(w http.ResponseWriter, c *heldConn, status int, b []byte) {
	if c == nil || len(b) < oneWriteMin || len(b) > oneWriteMax {
		w.WriteHeader(status)
		_, _ = w.Write(b)
		return
	}
	c.hold()
	defer c.release()
	w.WriteHeader(status)
	_, _ = w.Write(b)
	// Flushing puts the headers and the body through net/http's buffers into
	// the held connection; nothing is left for net/http to write after the
	// handler.
	_ = http.NewResponseController(w).Flush()
}
