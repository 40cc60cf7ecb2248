package main

import (
	"math"
	"net/http"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
)

func TestServeTunesTheGarbageCollector(t *testing.T) {
	percent, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetGCPercent(percent); debug.SetMemoryLimit(limit) })

	t.Run("when the environment sets neither, serve's own settings apply", func(t *testing.T) {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
		tuneGC(func(string) string { return "" })
		if got := debug.SetGCPercent(100); got != serveGCPercent {
			t.Errorf("GOGC = %d, want %d", got, serveGCPercent)
		}
		if got := debug.SetMemoryLimit(-1); got != serveMemoryLimitMB<<20 {
			t.Errorf("memory limit = %d, want %d", got, serveMemoryLimitMB<<20)
		}
	})
	t.Run("when GOGC and GOMEMLIMIT are set, they are left as the runtime read them", func(t *testing.T) {
		debug.SetGCPercent(50)
		debug.SetMemoryLimit(1 << 30)
		env := map[string]string{"GOGC": "50", "GOMEMLIMIT": "1GiB"}
		tuneGC(func(k string) string { return env[k] })
		if got := debug.SetGCPercent(100); got != 50 {
			t.Errorf("GOGC = %d, want the environment's 50", got)
		}
		if got := debug.SetMemoryLimit(-1); got != 1<<30 {
			t.Errorf("memory limit = %d, want the environment's 1 GiB", got)
		}
	})
}

func TestServeDebugAddr(t *testing.T) {
	t.Run("serves Go's profiler on its own listener, and not on the public one", func(t *testing.T) {
		s := startServe(t, nil, "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--debug-addr", "127.0.0.1:0")
		m := regexp.MustCompile(`aftercare: profiler on (http://\S+/debug/pprof/)\n`).FindStringSubmatch(s.stderr.String())
		if m == nil {
			t.Fatalf("no profiler address printed:\n%s", s.stderr.String())
		}
		for _, c := range []struct {
			url  string
			want int
		}{
			{m[1] + "heap", http.StatusOK},
			{m[1] + "cmdline", http.StatusOK},
			{"http://" + s.addr + "/debug/pprof/heap", http.StatusNotFound},
		} {
			resp, err := http.Get(c.url)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != c.want {
				t.Errorf("GET %s: %d, want %d", c.url, resp.StatusCode, c.want)
			}
		}
	})
	t.Run("is off unless asked for", func(t *testing.T) {
		s := startServe(t, nil, "--addr", "127.0.0.1:0", "--data", t.TempDir())
		if strings.Contains(s.stderr.String(), "profiler") {
			t.Errorf("a profiler was started without --debug-addr:\n%s", s.stderr.String())
		}
	})
}
