package httpapi

import (
	"fmt"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	start := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	l := newLimiter(60, time.Minute)
	t.Run("a new address has a minute's worth of requests", func(t *testing.T) {
		for i := range 60 {
			if _, ok := l.take("a", start); !ok {
				t.Fatalf("request %d refused", i+1)
			}
		}
	})
	t.Run("the next is refused with the wait until a token comes back", func(t *testing.T) {
		wait, ok := l.take("a", start)
		if ok || wait != time.Second {
			t.Errorf("take = %v, %v; want a wait of 1s", wait, ok)
		}
	})
	t.Run("a token comes back each second", func(t *testing.T) {
		if _, ok := l.take("a", start.Add(time.Second)); !ok {
			t.Error("refused after the wait")
		}
		if _, ok := l.take("a", start.Add(time.Second)); ok {
			t.Error("admitted twice for one token")
		}
	})
	t.Run("another address has its own bucket", func(t *testing.T) {
		if _, ok := l.take("b", start); !ok {
			t.Error("refused")
		}
	})
	t.Run("the buckets are bounded under a flood of addresses", func(t *testing.T) {
		for i := range maxBuckets + 10 {
			l.take(fmt.Sprintf("flood-%d", i), start.Add(2*time.Second))
		}
		if n := len(l.buckets); n > maxBuckets {
			t.Errorf("%d buckets kept; at most %d", n, maxBuckets)
		}
	})
}

func TestAddressKey(t *testing.T) {
	tests := []struct{ name, addr, want string }{
		{"an IPv4 address counts alone", "203.0.113.7", "203.0.113.7"},
		{"an IPv6 address counts with its /64", "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"two addresses of one /64 count together", "2001:db8:1:2::9", "2001:db8:1:2::/64"},
		{"text that is no address counts as it is", "pipe", "pipe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := addressKey(tt.addr); got != tt.want {
				t.Errorf("addressKey(%q) = %q, want %q", tt.addr, got, tt.want)
			}
		})
	}
}
