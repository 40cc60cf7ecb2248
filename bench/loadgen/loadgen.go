// Package loadgen is an HTTP load generator for loopback benchmarks, with
// two ways of driving a server:
//
//   - Closed loop (Closed): a fixed number of connections, each sending its
//     next request as soon as the previous answer has been read. It finds the
//     most a server can do at that concurrency, but its latencies suffer from
//     coordinated omission: while the server stalls, the generator stops
//     sending, so the stall is counted once instead of once per request that
//     would have been sent meanwhile. Its latencies are reported as such.
//   - Open loop (Open): requests are due at a constant rate, on a schedule
//     fixed in advance, whatever the server does; each latency is measured
//     from the time the request was due, not from when a connection was free
//     to send it, so a stall counts for every request it delays (the
//     correction wrk2 makes). Requests that could not even be sent before
//     the run ended count as late, with their waiting time.
//
// Both keep every latency (one int64 each) and report exact percentiles.
package loadgen

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Target is what is sent: POST (or GET, with no bodies) to URL, with the
// bodies sent in turn.
type Target struct {
	// Method is the HTTP method.
	Method string
	// URL is the address requested.
	URL string
	// Header is added to every request.
	Header http.Header
	// Bodies are sent in turn, request i getting Bodies[i % len(Bodies)].
	Bodies [][]byte
	// WantStatus is the status a good answer has; other statuses count as errors.
	WantStatus int
}

// Result is what one run measured.
type Result struct {
	// Mode is "closed" or "open".
	Mode string `json:"mode"`
	// Conns is the number of connections.
	Conns int `json:"conns"`
	// Rate is the open loop's intended rate in requests a second (0 for closed).
	Rate float64 `json:"rate,omitempty"`
	// Duration is the measured time (after the warm-up).
	Duration time.Duration `json:"duration_ns"`
	// Requests is the number of answered requests in the measured time.
	Requests int `json:"requests"`
	// Errors counts transport errors and unexpected statuses.
	Errors int `json:"errors"`
	// Late counts open-loop requests still unsent when the run ended.
	Late int `json:"late,omitempty"`
	// Throughput is answered requests a second.
	Throughput float64 `json:"throughput"`
	// P50, P90, P99, P999 and Max are latencies.
	P50  time.Duration `json:"p50_ns"`
	P90  time.Duration `json:"p90_ns"`  // 90th percentile
	P99  time.Duration `json:"p99_ns"`  // 99th percentile
	P999 time.Duration `json:"p999_ns"` // 99.9th percentile
	Max  time.Duration `json:"max_ns"`  // slowest
	// FirstError describes the first error seen, if any.
	FirstError string `json:"first_error,omitempty"`
}

// String is one line for logs.
func (r Result) String() string {
	s := fmt.Sprintf("%s conns=%d", r.Mode, r.Conns)
	if r.Rate > 0 {
		s += fmt.Sprintf(" rate=%.0f/s", r.Rate)
	}
	return s + fmt.Sprintf(" %d req in %v: %.0f req/s, p50 %v p99 %v p99.9 %v max %v, %d errors, %d late",
		r.Requests, r.Duration.Round(time.Millisecond), r.Throughput, r.P50, r.P99, r.P999, r.Max, r.Errors, r.Late)
}

// newClient returns a client that keeps exactly conns connections to the target.
func newClient(conns int) *http.Client {
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// recorder collects one worker's latencies and errors.
type recorder struct {
	lat    []int64
	errors int
	first  string
}

func (r *recorder) fail(err string) {
	r.errors++
	if r.first == "" {
		r.first = err
	}
}

// do sends request i and reports whether it got the wanted status.
func (t *Target) do(ctx context.Context, c *http.Client, i int) error {
	var body io.Reader
	if len(t.Bodies) > 0 {
		body = bytes.NewReader(t.Bodies[i%len(t.Bodies)])
	}
	req, err := http.NewRequestWithContext(ctx, t.Method, t.URL, body)
	if err != nil {
		return err
	}
	for k, v := range t.Header {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != t.WantStatus {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// Closed runs conns connections flat out for warmup (not measured), then
// for d, and reports what was answered in d.
func Closed(ctx context.Context, t Target, conns int, warmup, d time.Duration) Result {
	c := newClient(conns)
	defer c.CloseIdleConnections()
	var next atomic.Int64
	start := time.Now()
	measureFrom := start.Add(warmup)
	end := measureFrom.Add(d)
	recs := make([]*recorder, conns)
	var wg sync.WaitGroup
	for w := range conns {
		recs[w] = &recorder{lat: make([]int64, 0, 4096)}
		wg.Go(func() {
			r := recs[w]
			for ctx.Err() == nil {
				sent := time.Now()
				if !sent.Before(end) {
					return
				}
				err := t.do(ctx, c, int(next.Add(1)))
				done := time.Now()
				if !sent.Before(measureFrom) && !done.After(end) {
					if err != nil {
						r.fail(err.Error())
						continue
					}
					r.lat = append(r.lat, int64(done.Sub(sent)))
				}
			}
		})
	}
	wg.Wait()
	return summarize("closed", conns, 0, d, recs, 0)
}

// Open sends requests due at rate a second, on conns connections, for
// warmup (not measured) and then d. Each latency runs from the time the
// request was due. A request due while every connection is busy waits for
// one, and its wait counts; requests still waiting when the run ends (plus
// a grace of the slowest plausible answer, 1 s) count as late.
func Open(ctx context.Context, t Target, conns int, rate float64, warmup, d time.Duration) Result {
	c := newClient(conns)
	defer c.CloseIdleConnections()
	interval := time.Duration(float64(time.Second) / rate)
	start := time.Now().Add(10 * time.Millisecond)
	total := int(float64(warmup+d) / float64(interval))
	measureFrom := int(float64(warmup) / float64(interval))
	deadline := start.Add(warmup + d + time.Second)
	var next atomic.Int64
	recs := make([]*recorder, conns)
	late := make([]int, conns)
	var wg sync.WaitGroup
	for w := range conns {
		recs[w] = &recorder{lat: make([]int64, 0, 4096)}
		wg.Go(func() {
			r := recs[w]
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= total {
					return
				}
				due := start.Add(time.Duration(i) * interval)
				if wait := time.Until(due); wait > 0 {
					time.Sleep(wait)
				} else if time.Now().After(deadline) {
					if i >= measureFrom {
						late[w]++
					}
					continue
				}
				err := t.do(ctx, c, i)
				done := time.Now()
				if i < measureFrom {
					continue
				}
				if err != nil {
					r.fail(err.Error())
					continue
				}
				r.lat = append(r.lat, int64(done.Sub(due)))
			}
		})
	}
	wg.Wait()
	nlate := 0
	for _, n := range late {
		nlate += n
	}
	return summarize("open", conns, rate, d, recs, nlate)
}

func summarize(mode string, conns int, rate float64, d time.Duration, recs []*recorder, late int) Result {
	res := Result{Mode: mode, Conns: conns, Rate: rate, Duration: d, Late: late}
	var all []int64
	for _, r := range recs {
		all = append(all, r.lat...)
		res.Errors += r.errors
		if res.FirstError == "" {
			res.FirstError = r.first
		}
	}
	slices.Sort(all)
	res.Requests = len(all)
	res.Throughput = float64(len(all)) / d.Seconds()
	pct := func(p float64) time.Duration {
		if len(all) == 0 {
			return 0
		}
		i := int(p * float64(len(all)-1))
		return time.Duration(all[i])
	}
	res.P50, res.P90, res.P99, res.P999 = pct(0.50), pct(0.90), pct(0.99), pct(0.999)
	if len(all) > 0 {
		res.Max = time.Duration(all[len(all)-1])
	}
	return res
}
