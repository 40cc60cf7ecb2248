// Command httpbench measures the assessment door (POST /api/v1/assessments)
// of the real aftercare serve binary against the same server's own
// GET /healthz under the same load, in one run: the server is started as a
// process on loopback, and each round runs the load generator (package
// loadgen) on one door then the other, alternating which goes first, so that
// a busy minute on the machine hits both. It also records the server's
// start-up time (from exec to the first 200 from /readyz) and, after the
// load, its resident memory (VmHWM, VmRSS from /proc). It writes its results
// as JSON.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"aftercare/bench/loadgen"
	"aftercare/bench/results"
	"aftercare/triage/triagetest"
)

func main() {
	aftercareBin := flag.String("aftercare", "", "the aftercare binary")
	data := flag.String("data", "", "aftercare's --data directory, e.g. a database loaded by cmd/scale (default: a new, empty one)")
	database := flag.String("database", "", "aftercare's --database URL (default: SQLite in --data)")
	rounds := flag.Int("rounds", 3, "rounds; each runs the closed loop on both doors")
	duration := flag.Duration("duration", 10*time.Second, "measured time of each run")
	warmup := flag.Duration("warmup", 2*time.Second, "unmeasured warm-up before each run")
	conns := flag.Int("conns", 64, "connections")
	openRates := flag.String("open", "0.5,0.8", "open-loop rates, as fractions of the door's median closed-loop throughput")
	out := flag.String("out", "http.json", "where to write the results")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of aftercare serve, taken during the door's first closed-loop round, to this file")
	flag.Parse()
	if *aftercareBin == "" {
		log.Fatal("httpbench: --aftercare is required")
	}
	ctx := context.Background()

	dir, err := os.MkdirTemp("", "httpbench-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	serveData := *data
	if serveData == "" {
		serveData = filepath.Join(dir, "serve")
	}
	res := results.HTTP{Conns: *conns, Closed: map[string][]loadgen.Result{}, Open: map[string][]loadgen.Result{},
		CPUPerRequest: map[string][]float64{},
		StartupMS:     map[string]float64{}, Memory: map[string]results.Memory{}, Database: "SQLite"}
	args := []string{"serve", "--addr", "127.0.0.1:0", "--data", serveData,
		"--assess-rate", "100000000", "--log-level", "warn"}
	var debugAddr string
	if *cpuprofile != "" {
		debugAddr = freeAddr()
		args = append(args, "--debug-addr", debugAddr)
	}
	if *database != "" {
		args = append(args, "--database", *database)
		res.Database = "PostgreSQL"
	} else if *data != "" {
		res.Database = "SQLite, the database the scale benchmark loaded"
	}
	srv, err := start(ctx, "aftercare", *aftercareBin, args, filepath.Join(dir, "aftercare.log"))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.stop()
	res.StartupMS["aftercare"] = float64(srv.startup) / float64(time.Millisecond)
	log.Printf("aftercare: ready in %v on %s", srv.startup.Round(time.Microsecond), srv.base)

	bodies, text := requestBodies()
	res.Bodies, res.TextBodies = len(bodies), text
	targets := map[string]loadgen.Target{
		"healthz": {Method: "GET", URL: srv.base + "/healthz", WantStatus: 200},
		"assess": {Method: "POST", URL: srv.base + "/api/v1/assessments", Bodies: bodies,
			Header: http.Header{"Content-Type": {"application/json"}}, WantStatus: 200},
	}
	// Check that the door answers every body before timing anything.
	for i := range bodies {
		one := targets["assess"]
		one.Bodies = bodies[i : i+1]
		if r := loadgen.Closed(ctx, one, 1, 0, time.Millisecond); r.Errors > 0 {
			log.Fatalf("aftercare refuses body %d (%s): %s", i, bodies[i], r.FirstError)
		}
	}

	order := []string{"healthz", "assess"}
	for round := range *rounds {
		for _, name := range order {
			var profiled chan error
			if name == "assess" && round == 0 && debugAddr != "" {
				profiled = make(chan error, 1)
				go func() { profiled <- profile(debugAddr, *warmup, *duration, *cpuprofile) }()
			}
			cpu := cpuDuring(srv.cmd.Process.Pid, *warmup, *duration)
			r := loadgen.Closed(ctx, targets[name], *conns, *warmup, *duration)
			if used := <-cpu; used > 0 && r.Requests > 0 {
				res.CPUPerRequest[name] = append(res.CPUPerRequest[name], used.Seconds()*1e6/float64(r.Requests))
			}
			if profiled != nil {
				if err := <-profiled; err != nil {
					log.Fatalf("httpbench: profiling aftercare: %v", err)
				}
			}
			log.Printf("round %d %s: %v", round+1, name, r)
			res.Closed[name] = append(res.Closed[name], r)
		}
		slices.Reverse(order)
	}
	var tps []float64
	for _, r := range res.Closed["assess"] {
		tps = append(tps, r.Throughput)
	}
	slices.Sort(tps)
	median := tps[len(tps)/2]
	for _, f := range strings.Split(*openRates, ",") {
		frac, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || frac <= 0 {
			log.Fatalf("httpbench: --open %q", *openRates)
		}
		for _, name := range order {
			r := loadgen.Open(ctx, targets[name], *conns, frac*median, *warmup, *duration)
			log.Printf("open %.0f%% %s: %v", 100*frac, name, r)
			res.Open[name] = append(res.Open[name], r)
		}
		slices.Reverse(order)
	}
	m, err := memory(srv.cmd.Process.Pid)
	if err != nil {
		log.Fatal(err)
	}
	res.Memory["aftercare"] = m
	b, _ := json.MarshalIndent(res, "", "  ")
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		log.Fatal(err)
	}
}

// requestBodies are the 1,000 generated requests of the engine comparison
// (triagetest.Requests), as JSON; every fifth also carries free text, so that
// the text reader is part of the work as it is for the public door.
func requestBodies() (bodies [][]byte, text int) {
	phrases := []string{
		"my lower back aches since yesterday after deep tissue, about a 4, no numbness",
		"sore calves after the sports massage, maybe 3/10, no swelling",
		"neck is stiff and I have a slight headache",
		"shoulders feel bruised but it is getting better",
	}
	for i, req := range triagetest.Requests(1000, triagetest.Seed) {
		if i%5 == 0 {
			req.Text = phrases[i/5%len(phrases)]
			text++
		}
		b, err := json.Marshal(req)
		if err != nil {
			log.Fatal(err)
		}
		bodies = append(bodies, b)
	}
	return bodies, text
}

// server is a started server process.
type server struct {
	cmd     *exec.Cmd
	base    string
	startup time.Duration
	log     *os.File
}

var servingOn = regexp.MustCompile(`serving on (https?://\S+)`)

// start runs bin with args, waits for it to print its address and to answer
// GET /readyz with 200, and reports how long that took from exec.
func start(ctx context.Context, name, bin string, args []string, logPath string) (*server, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	// A clean environment: no AFTERCARE_* variable of the caller's changes the run.
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "GOMAXPROCS=" + os.Getenv("GOMAXPROCS")}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdout = logf
	began := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	s := &server{cmd: cmd, log: logf}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sent := false
		for sc.Scan() {
			fmt.Fprintln(logf, sc.Text())
			if m := servingOn.FindStringSubmatch(sc.Text()); m != nil && !sent {
				addr <- m[1]
				sent = true
			}
		}
		if !sent {
			close(addr)
		}
	}()
	select {
	case a, ok := <-addr:
		if !ok {
			return nil, fmt.Errorf("%s exited before serving (log: %s)", name, logPath)
		}
		s.base = a
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		return nil, fmt.Errorf("%s did not start (log: %s)", name, logPath)
	}
	c := &http.Client{Timeout: time.Second}
	for {
		resp, err := c.Get(s.base + "/readyz")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 {
				s.startup = time.Since(began)
				return s, nil
			}
		}
		if time.Since(began) > 2*time.Minute {
			cmd.Process.Kill()
			return nil, fmt.Errorf("%s never became ready (log: %s)", name, logPath)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// stop ends the server with SIGTERM (SIGKILL after 30 s).
func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
	}
	s.log.Close()
}

// cpuDuring reports the CPU time (user and system) process pid spends from
// warmup from now until warmup+d from now, or 0 if /proc could not be read.
func cpuDuring(pid int, warmup, d time.Duration) <-chan time.Duration {
	out := make(chan time.Duration, 1)
	go func() {
		time.Sleep(warmup)
		before, err := cpuTime(pid)
		time.Sleep(d)
		after, err2 := cpuTime(pid)
		if err != nil || err2 != nil {
			out <- 0
			return
		}
		out <- after - before
	}()
	return out
}

// cpuTime is a process's user and system CPU time so far, from /proc/PID/stat.
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// utime and stime are the 14th and 15th fields, counted from the pid; the
	// command name before them is in parentheses and may hold spaces. They
	// are in clock ticks, 100 a second on Linux.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f))
	}
	utime, err := strconv.ParseInt(f[11], 10, 64)
	if err != nil {
		return 0, err
	}
	stime, err := strconv.ParseInt(f[12], 10, 64)
	if err != nil {
		return 0, err
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}

// memory reads a process's VmHWM and VmRSS.
func memory(pid int) (results.Memory, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return results.Memory{}, err
	}
	var m results.Memory
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmHWM:":
			m.HWM = kb << 10
		case "VmRSS:":
			m.RSS = kb << 10
		}
	}
	return m, nil
}

// freeAddr returns a loopback address with a port free at the moment.
func freeAddr() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// profile waits out the warm-up, then takes a CPU profile of the serve
// process through its --debug-addr for most of the measured time.
func profile(addr string, warmup, duration time.Duration, path string) error {
	time.Sleep(warmup + duration/10)
	seconds := max(1, int(duration*8/10/time.Second))
	resp, err := http.Get(fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", addr, seconds))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET /debug/pprof/profile: %s", resp.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
