package faults

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestSlowClient(t *testing.T) {
	st := newStore(t, "SQLite")
	srv := startServe(t, append([]string{"--read-header-timeout", "1s", "--read-timeout", "3s"}, st.flags...)...)
	addr := strings.TrimPrefix(srv.base, "http://")

	for _, tc := range []struct {
		name string
		// head is sent at once, drip one byte at a time.
		head, drip string
		limit      time.Duration
	}{
		{
			name:  "a client sending its headers byte by byte is cut off at the header timeout",
			drip:  "POST /api/v1/assessments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n",
			limit: 1 * time.Second,
		},
		{
			name:  "a client sending its body byte by byte is cut off at the read timeout",
			head:  "POST /api/v1/assessments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n",
			drip:  strings.Repeat(" ", 200),
			limit: 3 * time.Second,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			start := time.Now()
			if _, err := io.WriteString(c, tc.head); err != nil {
				t.Fatal(err)
			}
			closed := make(chan time.Duration, 1)
			go func() {
				// The server's answer (a 408, or nothing) ends with the connection closed.
				io.Copy(io.Discard, c)
				closed <- time.Since(start)
			}()
			tick := time.NewTicker(200 * time.Millisecond)
			defer tick.Stop()
			for i := 0; ; i++ {
				select {
				case took := <-closed:
					if took < tc.limit/2 || took > tc.limit+3*time.Second {
						t.Errorf("the connection was closed after %v; want about %v", took, tc.limit)
					}
					return
				case <-tick.C:
					if i < len(tc.drip) {
						c.Write([]byte{tc.drip[i]}) // the server may have closed it already
					}
					if time.Since(start) > tc.limit+10*time.Second {
						t.Fatalf("the slow client still holds its connection after %v", time.Since(start))
					}
				}
			}
		})
	}

	t.Run("other clients are served while slow ones hang on", func(t *testing.T) {
		var slow []net.Conn
		for range 50 {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			io.WriteString(c, "GET /healthz HTTP/1.1\r\n")
			slow = append(slow, c)
		}
		defer func() {
			for _, c := range slow {
				c.Close()
			}
		}()
		a := newAPI(srv.base, "")
		start := time.Now()
		resp, err := a.do(context.Background(), "GET", "/healthz", nil)
		if err != nil || resp.status != http.StatusOK {
			t.Fatalf("GET /healthz beside 50 slow clients: %v %v", resp, err)
		}
		if took := time.Since(start); took > time.Second {
			t.Errorf("GET /healthz took %v beside 50 slow clients", took)
		}
	})
}
