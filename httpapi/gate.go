package httpapi

import (
	"context"
	"runtime"
	"sync"
	"time"

	"aftercare"
	"aftercare/password"
)

// Each password check runs Argon2id over password.Memory KiB (19 MiB), so the
// checks running at once bound the memory that sign-ins can take. The gate
// lets at most its capacity run at once across the server, and at most
// PasswordChecksPerAddress for one address; a sign-in that finds the server
// full waits up to passwordCheckWait, then is answered 503 with Retry-After.
const (
	// PasswordChecksPerAddress is how many password checks one address may have running at once.
	PasswordChecksPerAddress = 2
	// passwordCheckWait is how long a sign-in waits for a free check before it is refused.
	passwordCheckWait = 2 * time.Second
)

// DefaultPasswordChecks is how many password checks may run at once unless
// told otherwise: one per core, at least two.
func DefaultPasswordChecks() int { return max(2, runtime.GOMAXPROCS(0)) }

// PasswordCheckMemory is the most memory the password checks running at once
// can hold, in bytes, for a gate of capacity n.
func PasswordCheckMemory(n int) int64 { return int64(n) * password.Memory << 10 }

// gate bounds the password checks running at once, in all and per address.
type gate struct {
	slots chan struct{}

	mu     sync.Mutex
	byAddr map[string]int
}

func newGate(capacity int) *gate {
	return &gate{slots: make(chan struct{}, capacity), byAddr: map[string]int{}}
}

// enter takes a place for one password check from addr, or refuses: ERATELIMIT
// when addr has PasswordChecksPerAddress checks running, EUNAVAILABLE when the
// server has had no free place for passwordCheckWait. The caller must call
// the release it is given once the check is done.
func (g *gate) enter(ctx context.Context, addr string) (release func(), err error) {
	g.mu.Lock()
	if g.byAddr[addr] >= PasswordChecksPerAddress {
		g.mu.Unlock()
		return nil, aftercare.Errorf(aftercare.ERATELIMIT, "", "too many sign-ins at once from your address; try again in a second")
	}
	g.byAddr[addr]++
	g.mu.Unlock()
	leave := func() {
		g.mu.Lock()
		if g.byAddr[addr]--; g.byAddr[addr] <= 0 {
			delete(g.byAddr, addr)
		}
		g.mu.Unlock()
	}
	t := time.NewTimer(passwordCheckWait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return func() { <-g.slots; leave() }, nil
	case <-t.C:
	case <-ctx.Done():
	}
	leave()
	return nil, aftercare.Errorf(aftercare.EUNAVAILABLE, "", "the server is busy with other sign-ins; try again in a second")
}
