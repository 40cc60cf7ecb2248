package faults

import (
	"context"
	"math/rand/v2"
	"net/http"
	"testing"
	"time"
)

// defaultHours are the follow-up hours of a clinic made without --follow-up-hours.
var defaultHours = []int{24, 48, 72}

// crashRounds is how many times the crash test kills the server: 20 in the
// quick run, more when AFTERCARE_SOAK asks for a long one.
func crashRounds() int {
	if d, long := soakLength(); long {
		return max(20, int(d/(3*time.Second)))
	}
	return 20
}

func TestCrash(t *testing.T) {
	for _, kind := range storeKinds {
		t.Run("every acknowledged check-in survives SIGKILL exactly once on "+kind, func(t *testing.T) {
			st := newStore(t, kind)
			cl := setupClinic(t, st)
			srv := startServe(t, st.flags...)
			a := newAPI(srv.base, cl.token)
			var sessions []int64
			for range 4 {
				sessions = append(sessions, a.createSession(t, time.Hour, ""))
			}
			srv.kill()
			led := newLedger(sessions)

			rounds := crashRounds()
			retried := 0
			for range rounds {
				srv := startServe(t, st.flags...)
				a := newAPI(srv.base, cl.token)
				// A client that got no answer tries again with the same key:
				// what the dead server had stored comes back as a replay.
				retried += led.retryPending(t, a, 30*time.Second)
				led.checkReplays(t, a, 2)
				ctx, cancel := context.WithCancel(context.Background())
				wg := led.load(ctx, a, 6, 0)
				time.Sleep(time.Duration(150+rand.IntN(850)) * time.Millisecond)
				srv.kill()
				cancel()
				wg.Wait()
			}
			srv = startServe(t, st.flags...)
			a = newAPI(srv.base, cl.token)
			retried += led.retryPending(t, a, 30*time.Second)
			led.checkReplays(t, a, 5)
			srv.stop(t)

			tl := audit(t, st, led, defaultHours)
			if out, code := cli(t, "", append([]string{"verify"}, st.flags...)...); code != 0 {
				t.Errorf("aftercare verify exited %d after the crashes:\n%s", code, out)
			}
			figures(t, "rounds=%d acknowledged=%d found=%d duplicates=%d jobs_lost=%d retried=%d replays=%d flagged=%d sessions=%d jobs_duplicated=%d",
				rounds, tl.acknowledged, tl.found, tl.duplicates, tl.jobsLost, retried, led.replays, tl.flagged, tl.sessions, tl.jobsDuplicated)
			if len(led.unexpected) > 0 {
				t.Errorf("%d unexpected answers, such as %v", len(led.unexpected), led.unexpected[:min(5, len(led.unexpected))])
			}
			if n := led.statuses[http.StatusServiceUnavailable]; n > 0 {
				t.Errorf("%d answers were 503 with the database up", n)
			}
			if tl.acknowledged < rounds {
				t.Errorf("only %d check-ins were acknowledged in %d rounds: the load did not run", tl.acknowledged, rounds)
			}
			if tl.found != tl.acknowledged || tl.duplicates != 0 || tl.jobsLost != 0 || tl.jobsDuplicated != 0 || tl.flagsMissing != 0 {
				t.Errorf("after %d crashes: %v", rounds, tl)
			}
			if led.replays == 0 {
				t.Error("no retry was answered as a replay: the idempotency path was not exercised")
			}
		})
	}
}
