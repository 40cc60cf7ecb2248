package loadgen

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestOpenLoopCountsAStallForEveryDelayedRequest stalls the server once for
// 300 ms under a steady 100 requests a second on one connection: the open
// loop must charge the stall to every request due during it (measuring from
// when each was due), where the closed loop sees one slow request.
func TestOpenLoopCountsAStallForEveryDelayedRequest(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 20 {
			time.Sleep(300 * time.Millisecond)
		}
	}))
	defer srv.Close()
	target := Target{Method: "GET", URL: srv.URL, WantStatus: 200}

	open := Open(context.Background(), target, 1, 100, 0, time.Second)
	if open.Errors > 0 || open.Requests < 90 {
		t.Fatalf("open loop: %v", open)
	}
	// About 30 requests fall due during the stall, waiting up to 300 ms:
	// well over 1% of the run, so p99 sees the stall.
	if open.P99 < 150*time.Millisecond || open.Max < 280*time.Millisecond {
		t.Errorf("open loop did not charge the stall to the requests it delayed: %v", open)
	}

	n.Store(0)
	closed := Closed(context.Background(), target, 1, 0, time.Second)
	if closed.Errors > 0 {
		t.Fatalf("closed loop: %v", closed)
	}
	if closed.Max < 280*time.Millisecond {
		t.Errorf("closed loop missed the stall: %v", closed)
	}
	if closed.P99 >= open.P99 {
		t.Logf("closed loop p99 %v, open loop p99 %v", closed.P99, open.P99)
	}
}
