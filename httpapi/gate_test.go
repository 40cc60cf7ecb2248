package httpapi_test

import (
	"net/http"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"aftercare"
	"aftercare/httpapi"
	"aftercare/password"
)

// inFlight counts the password checks running at once and the most seen.
type inFlight struct {
	now, peak atomic.Int64
}

func (f *inFlight) wrap(verify func(pw, encoded string) (bool, error)) func(pw, encoded string) (bool, error) {
	return func(pw, encoded string) (bool, error) {
		n := f.now.Add(1)
		defer f.now.Add(-1)
		for p := f.peak.Load(); n > p && !f.peak.CompareAndSwap(p, n); p = f.peak.Load() {
		}
		return verify(pw, encoded)
	}
}

func TestSignInsUnderLoad(t *testing.T) {
	const checks = 2
	var flight inFlight
	h := newHarness(t, "SQLite", behindProxy, func(d *httpapi.Deps) {
		d.PasswordChecks = checks
		d.VerifyPassword = flight.wrap(password.Verify)
	})
	email := "load-" + t.Name() + "@calm.example"
	h.createUser(t, h.clinic.ID, email, aftercare.RoleOwner)

	// Collect garbage promptly, so that the heap measured is close to what
	// the checks hold, not what the collector has yet to free.
	defer debug.SetGCPercent(debug.SetGCPercent(20))
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Add(1)
	go func() {
		defer sampler.Done()
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
		}
	}()

	const signIns = 150
	statuses := make([]int, signIns)
	retry := make([]string, signIns)
	var wg sync.WaitGroup
	for i := range signIns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := h.login(email, "not the password at all", from(uniqueAddr()), header("Accept", "application/json"))
			statuses[i], retry[i] = r.status, r.header.Get("Retry-After")
		}()
	}
	// Other requests are answered while the sign-ins run.
	var health []int
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	for waiting := true; waiting; {
		select {
		case <-done:
			waiting = false
		default:
			health = append(health, h.do("GET", "/api/v1/clients", nil, bearer(h.token)).status)
		}
	}
	close(stop)
	sampler.Wait()

	t.Run("no more password checks run at once than the gate allows", func(t *testing.T) {
		if p := flight.peak.Load(); p > checks || p == 0 {
			t.Errorf("%d checks ran at once, want 1..%d", p, checks)
		}
	})
	t.Run("every sign-in is refused as wrong or as busy, with Retry-After when busy", func(t *testing.T) {
		counts := map[int]int{}
		for i, s := range statuses {
			counts[s]++
			switch s {
			case http.StatusUnauthorized:
			case http.StatusServiceUnavailable, http.StatusTooManyRequests:
				if retry[i] == "" {
					t.Errorf("sign-in %d: %d without Retry-After", i, s)
				}
			default:
				t.Errorf("sign-in %d: status %d", i, s)
			}
		}
		if counts[http.StatusUnauthorized] == 0 {
			t.Errorf("no sign-in was checked at all: %v", counts)
		}
		t.Logf("answers: %v", counts)
	})
	t.Run("memory stays within the documented bound", func(t *testing.T) {
		// Without the gate 150 checks would hold 150 × 19 MiB, nearly 3 GiB.
		limit := uint64(httpapi.PasswordCheckMemory(checks)) + 128<<20
		if grew := peak.Load() - min(peak.Load(), base.HeapInuse); grew > limit {
			t.Errorf("heap grew by %d MiB, want at most %d MiB", grew>>20, limit>>20)
		}
	})
	t.Run("other requests are answered meanwhile", func(t *testing.T) {
		if len(health) == 0 {
			t.Fatal("no other request was made")
		}
		for i, s := range health {
			if s != http.StatusOK {
				t.Fatalf("request %d of %d answered %d", i, len(health), s)
			}
		}
	})
}

func TestOneAddressHasFewChecksAtOnce(t *testing.T) {
	var flight inFlight
	gate := make(chan struct{})
	h := newHarness(t, "SQLite", behindProxy, func(d *httpapi.Deps) {
		d.PasswordChecks = 8
		d.VerifyPassword = flight.wrap(func(string, string) (bool, error) { <-gate; return false, nil })
	})
	addr := uniqueAddr()
	var wg sync.WaitGroup
	for range httpapi.PasswordChecksPerAddress {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.login("someone@calm.example", "not the password at all", from(addr), header("Accept", "application/json"))
		}()
	}
	for deadline := time.Now().Add(10 * time.Second); flight.now.Load() < httpapi.PasswordChecksPerAddress; {
		if time.Now().After(deadline) {
			t.Fatalf("only %d checks started", flight.now.Load())
		}
		time.Sleep(time.Millisecond)
	}
	t.Run("a further sign-in from the same address is refused at once", func(t *testing.T) {
		h.login("someone@calm.example", "not the password at all", from(addr), header("Accept", "application/json")).
			wantError(t, http.StatusTooManyRequests, aftercare.ERATELIMIT, "")
	})
	t.Run("a sign-in from another address is still checked", func(t *testing.T) {
		go h.login("someone@calm.example", "not the password at all", from(uniqueAddr()), header("Accept", "application/json"))
		for deadline := time.Now().Add(10 * time.Second); flight.now.Load() < httpapi.PasswordChecksPerAddress+1; {
			if time.Now().After(deadline) {
				t.Fatalf("the other address's check did not start: %d running", flight.now.Load())
			}
			time.Sleep(time.Millisecond)
		}
	})
	close(gate)
	wg.Wait()
}
