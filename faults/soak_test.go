package faults

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// sample is one reading of the server's own metrics.
type sample struct {
	at         time.Duration
	goroutines float64
	heap       float64 // bytes in use
}

// readMetrics reads the goroutines and heap in use from /metrics.
func readMetrics(a *api) (sample, error) {
	resp, err := a.do(context.Background(), "GET", "/metrics", nil)
	if err != nil {
		return sample{}, err
	}
	var s sample
	sc := bufio.NewScanner(bytes.NewReader(resp.body))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(value, 64)
		if err != nil {
			continue
		}
		switch name {
		case "go_goroutines":
			s.goroutines = v
		case "go_memstats_heap_inuse_bytes":
			s.heap = v
		}
	}
	return s, sc.Err()
}

// latencies keeps request times by phase of the run.
type latencies struct {
	mu     sync.Mutex
	phases [3][]time.Duration
}

func (l *latencies) add(phase int, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.phases[phase] = append(l.phases[phase], d)
}

// quantile returns the q-quantile of a phase's times.
func (l *latencies) quantile(phase int, q float64) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	ds := slices.Clone(l.phases[phase])
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[min(len(ds)-1, int(q*float64(len(ds))))]
}

func TestSoak(t *testing.T) {
	length, long := soakLength()
	kinds := []string{"SQLite"}
	if long {
		kinds = storeKinds
	}
	for _, kind := range kinds {
		t.Run("steady load for "+length.String()+" keeps memory, goroutines and latency flat, with no error, on "+kind, func(t *testing.T) {
			st := newStore(t, kind)
			cl := setupClinic(t, st)
			srv := startServe(t, append([]string{"--assess-rate", "1000000"}, st.flags...)...)
			a := newAPI(srv.base, cl.token)
			public := newAPI(srv.base, "")

			var (
				mu       sync.Mutex
				requests int
				errs     []string
			)
			lat := &latencies{}
			start := time.Now()
			phase := func() int { return min(2, int(3*time.Since(start)/length)) }
			call := func(ctx context.Context, a *api, method, path string, body any, want int, headers ...string) []byte {
				t0 := time.Now()
				resp, err := a.do(ctx, method, path, body, headers...)
				if ctx.Err() != nil {
					return nil
				}
				lat.add(phase(), time.Since(t0))
				mu.Lock()
				defer mu.Unlock()
				requests++
				if err != nil {
					errs = append(errs, fmt.Sprintf("%s %s: %v", method, path, err))
					return nil
				}
				if resp.status != want {
					errs = append(errs, fmt.Sprintf("%s %s: %d %s", method, path, resp.status, clipBody(resp.body)))
					return nil
				}
				return resp.body
			}

			ctx, cancel := context.WithTimeout(context.Background(), length)
			defer cancel()
			var wg sync.WaitGroup
			for w := range 4 {
				wg.Go(func() {
					// Each worker is a front desk: a session, three check-ins and
					// reads of it, the flags, the clients; and a client asking the
					// public door. Sessions turn over so none grows without end.
					var session int64
					for i := 0; ctx.Err() == nil; i++ {
						if i%4 == 0 {
							session = 0
							var c idOf
							if body := call(ctx, a, "POST", "/api/v1/clients", map[string]any{"name": fmt.Sprintf("Soak %d", w)}, http.StatusCreated); body != nil {
								if err := jsonUnmarshal(body, &c); err == nil {
									var s idOf
									if body := call(ctx, a, "POST", "/api/v1/sessions", sessionBody(c.ID, 20*time.Hour), http.StatusCreated); body != nil {
										if jsonUnmarshal(body, &s) == nil {
											session = s.ID
										}
									}
								}
							}
						}
						if session != 0 {
							call(ctx, a, "POST", fmt.Sprintf("/api/v1/sessions/%d/check-ins", session),
								checkInBodies[rand.IntN(len(checkInBodies))], http.StatusCreated, "Idempotency-Key", newKey())
							call(ctx, a, "GET", fmt.Sprintf("/api/v1/sessions/%d", session), nil, http.StatusOK)
						}
						call(ctx, public, "POST", "/api/v1/assessments", checkInBodies[rand.IntN(len(checkInBodies))], http.StatusOK)
						if i%5 == 0 {
							call(ctx, a, "GET", "/api/v1/flags", nil, http.StatusOK)
						}
						sleepCtx(ctx, 15*time.Millisecond)
					}
				})
			}

			// Samples after a warm-up, every few seconds.
			var samples []sample
			interval := max(length/20, 2*time.Second)
			sleepCtx(ctx, min(5*time.Second, length/5))
			for ctx.Err() == nil {
				s, err := readMetrics(a)
				if err == nil && ctx.Err() == nil {
					s.at = time.Since(start)
					samples = append(samples, s)
				}
				sleepCtx(ctx, interval)
			}
			wg.Wait()
			if final, err := readMetrics(a); err == nil {
				final.at = time.Since(start)
				samples = append(samples, final)
			}
			srv.stop(t)

			if len(samples) < 3 {
				t.Fatalf("only %d metric samples", len(samples))
			}
			first, last := samples[0], samples[len(samples)-1]
			peakHeap := 0.0
			for _, s := range samples {
				peakHeap = max(peakHeap, s.heap)
			}
			mb := func(b float64) string { return fmt.Sprintf("%.1fMB", b/(1<<20)) }
			figures(t, "duration=%v requests=%d errors=%d rps=%.0f goroutines=%.0f→%.0f heap=%s→%s (peak %s) p50=%v→%v p99=%v→%v",
				length, requests, len(errs), float64(requests)/length.Seconds(), first.goroutines, last.goroutines,
				mb(first.heap), mb(last.heap), mb(peakHeap),
				lat.quantile(0, .5).Round(time.Microsecond*100), lat.quantile(2, .5).Round(time.Microsecond*100),
				lat.quantile(0, .99).Round(time.Millisecond), lat.quantile(2, .99).Round(time.Millisecond))

			if len(errs) > 0 {
				t.Errorf("%d error responses, such as %v", len(errs), errs[:min(5, len(errs))])
			}
			if requests < int(length.Seconds())*20 {
				t.Errorf("only %d requests in %v: the load did not run", requests, length)
			}
			// Flat: the end no higher than the start after warm-up, give or take noise.
			if last.goroutines > first.goroutines+20 {
				t.Errorf("goroutines grew from %.0f to %.0f", first.goroutines, last.goroutines)
			}
			// The heap in use swings up to twice the live heap between
			// collections (GOGC=100), so one sample against another says little:
			// a leak shows as the lows of the last third rising above the
			// highs of the first.
			third := max(1, len(samples)/3)
			firstHigh, lastLow := 0.0, math.Inf(1)
			for _, s := range samples[:third] {
				firstHigh = max(firstHigh, s.heap)
			}
			for _, s := range samples[len(samples)-third:] {
				lastLow = min(lastLow, s.heap)
			}
			if lastLow > max(1.5*firstHigh, firstHigh+32<<20) {
				t.Errorf("heap in use grew: its lows in the last third (%s) are above its highs in the first (%s)", mb(lastLow), mb(firstHigh))
			}
			p50a, p50c := lat.quantile(0, .5), lat.quantile(2, .5)
			if p50c > 3*p50a+20*time.Millisecond {
				t.Errorf("median latency went from %v in the first third to %v in the last", p50a, p50c)
			}
			p99a, p99c := lat.quantile(0, .99), lat.quantile(2, .99)
			if p99c > 4*p99a+100*time.Millisecond {
				t.Errorf("p99 latency went from %v in the first third to %v in the last", p99a, p99c)
			}
		})
	}
}
