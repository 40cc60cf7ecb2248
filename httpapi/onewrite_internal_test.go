package httpapi

import (
	"errors"
	"net"
	"testing"
)

func TestHeldConn(t *testing.T) {
	t.Run("held writes reach the peer together when released", func(t *testing.T) {
		a, b := net.Pipe()
		defer a.Close()
		defer b.Close()
		c := &heldConn{Conn: a}
		c.hold()
		for _, s := range []string{"head ", "and ", "body"} {
			if n, err := c.Write([]byte(s)); err != nil || n != len(s) {
				t.Fatalf("held write: %d, %v", n, err)
			}
		}
		got := make(chan string)
		go func() {
			buf := make([]byte, 64)
			n, _ := b.Read(buf) // net.Pipe delivers one Write to one Read
			got <- string(buf[:n])
		}()
		c.release()
		if s := <-got; s != "head and body" {
			t.Fatalf("peer read %q in its first read, want everything held", s)
		}
	})

	t.Run("a release whose write fails closes the connection", func(t *testing.T) {
		a, b := net.Pipe()
		defer b.Close()
		fc := &failingConn{Conn: a}
		c := &heldConn{Conn: fc}
		c.hold()
		_, _ = c.Write([]byte("answer"))
		c.release()
		if !fc.closed {
			t.Fatal("after a failed release the connection is still open")
		}
		if c.held != nil {
			t.Fatal("writes are still held after release")
		}
	})
}

// failingConn is a connection whose writes fail, as one whose peer has gone.
type failingConn struct {
	net.Conn
	closed bool
}

func (c *failingConn) Write([]byte) (int, error) { return 0, errors.New("connection reset by peer") }

func (c *failingConn) Close() error { c.closed = true; return c.Conn.Close() }
