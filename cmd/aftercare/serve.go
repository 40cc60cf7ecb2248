package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"net/netip"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/riverqueue/river"

	"aftercare"
	"aftercare/followup"
	"aftercare/httpapi"
	"aftercare/keyring"
	"aftercare/postgres"
	"aftercare/sqlite"
	"aftercare/triage"
	"aftercare/usecase"
	"aftercare/web"
)

// Default timeouts of the HTTP server (each has a flag), and how long a shutdown waits for requests in flight.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 120 * time.Second
	shutdownTimeout   = 30 * time.Second
)

const serveUsage = `usage: aftercare serve [flags]

Runs the web pages, the API and the follow-up workers. Every flag can also be
set by an environment variable (shown in brackets); a flag given on the command
line wins over the variable. Unless GOGC or GOMEMLIMIT is set, the garbage
collector runs at GOGC=%d with a soft memory limit of %d MiB.

`

// storeFlags are the flags that say where the data is, shared by serve and admin.
type storeFlags struct {
	data       string
	database   string
	secretKeys string
}

func (s *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.data, "data", "./aftercare-data", "the directory of the embedded SQLite database")
	fs.StringVar(&s.database, "database", "", "a postgres:// URL to use PostgreSQL instead of SQLite")
	fs.StringVar(&s.secretKeys, "secret-keys", "", "the keyring file that seals secrets at rest, such as webhook secrets (default with SQLite: secret.keys in --data; keep it apart from backups)")
}

// envName is the environment variable of a flag: AFTERCARE_ and the flag's
// name in capitals, with --database read from AFTERCARE_DATABASE_URL.
func envName(flagName string) string {
	if flagName == "database" {
		return "AFTERCARE_DATABASE_URL"
	}
	return "AFTERCARE_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parseFlags sets each flag from its environment variable, then from args, so
// that the command line wins.
func parseFlags(fs *flag.FlagSet, args []string, getenv func(string) string) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if err != nil {
			return
		}
		name := envName(f.Name)
		if v := getenv(name); v != "" {
			if serr := fs.Set(f.Name, v); serr != nil {
				err = fmt.Errorf("%s=%q: %v", name, v, serr)
			}
		}
	})
	if err != nil {
		fmt.Fprintf(fs.Output(), "aftercare: %v\n", err)
		return errUsage
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "aftercare: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	return nil
}

// errHelp ends a command that printed its help on request.
var errHelp = errors.New("help")

// newFlagSet returns a flag set whose usage lists each flag's variable.
func newFlagSet(name, usage string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprint(out, usage)
		fs.VisitAll(func(f *flag.Flag) {
			def := ""
			if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" {
				def = fmt.Sprintf(" (default %s)", f.DefValue)
			}
			fmt.Fprintf(out, "  --%s\t%s%s [%s]\n", f.Name, f.Usage, def, envName(f.Name))
		})
	}
	return fs
}

// store is a clinic store that can also run the follow-up workers.
type store interface {
	aftercare.Store
	Work(ctx context.Context, workers *river.Workers, logger *slog.Logger) (stop func(context.Context) error, err error)
	AuditKeys(k *keyring.Keyring)
}

// openStore opens PostgreSQL for a postgres:// URL, else SQLite in the data directory.
func openStore(ctx context.Context, f storeFlags) (store, error) {
	// The keyring, when there is one, keys the audit log's chain too.
	ring, err := f.keyring(false)
	if err != nil {
		return nil, err
	}
	st, err := openDatabase(ctx, f)
	if err != nil {
		return nil, err
	}
	st.AuditKeys(ring)
	return st, nil
}

// openDatabase opens the store of f's database.
func openDatabase(ctx context.Context, f storeFlags) (store, error) {
	db := strings.TrimSpace(f.database)
	switch {
	case strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://"):
		st, err := postgres.Open(ctx, db)
		if err != nil {
			return nil, fmt.Errorf("opening PostgreSQL: %w", err)
		}
		return st, nil
	case db != "":
		return nil, fmt.Errorf("--database must be a postgres:// URL (leave it empty to use SQLite in --data)")
	}
	if f.data == "" {
		return nil, errors.New("--data must name a directory")
	}
	if err := os.MkdirAll(f.data, 0o700); err != nil {
		return nil, fmt.Errorf("creating the data directory: %w", err)
	}
	// The directory holds clients' health answers and its backups: an
	// existing one made with a looser mode is kept to its owner too.
	if err := os.Chmod(f.data, 0o700); err != nil {
		return nil, fmt.Errorf("keeping the data directory to its owner (mode 0700): %w", err)
	}
	st, err := sqlite.Open(ctx, f.data)
	if err != nil {
		return nil, fmt.Errorf("opening SQLite in %s: %w", f.data, err)
	}
	return st, nil
}

// serveConfig is what aftercare serve is told.
type serveConfig struct {
	storeFlags
	addr            string
	knowledge       string
	baseURL         string
	emergencyNumber string
	linkTTL         time.Duration
	smtp            followup.MailConfig
	logLevel        string
	// The HTTP server's timeouts: a client slower than these is cut off.
	readHeaderTimeout, readTimeout, writeTimeout, idleTimeout time.Duration

	// tlsCert and tlsKey serve HTTPS; both or neither.
	tlsCert, tlsKey string
	// trustedProxy lists the reverse proxies whose X-Forwarded-* headers are believed.
	trustedProxy string
	// assessRate is the requests a minute one address may make to the public assessment doors.
	assessRate int
	// proxies is trustedProxy parsed.
	proxies []netip.Prefix
	// debugAddr, when set, serves Go's profiler (net/http/pprof) on its own listener.
	debugAddr string
	// metricsToken lets a scraper on a public address read /metrics.
	metricsToken string
}

func runServe(ctx context.Context, e *env, args []string) error {
	var c serveConfig
	fs := newFlagSet("serve", fmt.Sprintf(serveUsage, serveGCPercent, serveMemoryLimitMB), e.stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "the address to listen on")
	c.storeFlags.register(fs)
	fs.StringVar(&c.knowledge, "knowledge", "", "a clinic's own knowledge file, laid over the built-in one")
	fs.StringVar(&c.baseURL, "base-url", "", "the public address of the server, for the links sent to clients (default http://ADDR)")
	fs.StringVar(&c.emergencyNumber, "emergency-number", web.DefaultEmergencyNumber, "the emergency number shown with an emergency answer")
	fs.DurationVar(&c.linkTTL, "link-ttl", usecase.DefaultLinkTTL, "how long a client's check-in link works after the session")
	fs.StringVar(&c.smtp.Host, "smtp-host", "", "the SMTP server for follow-up mail (none: no mail is sent)")
	fs.IntVar(&c.smtp.Port, "smtp-port", 0, "the SMTP port (default 587 for starttls, 465 for tls, 25 for none)")
	fs.StringVar(&c.smtp.From, "smtp-from", "", "the sender address of follow-up mail")
	fs.StringVar(&c.smtp.Username, "smtp-user", "", "the SMTP user name")
	fs.StringVar(&c.smtp.Password, "smtp-password", "", "the SMTP password")
	fs.StringVar(&c.smtp.TLS, "smtp-tls", "starttls", "the SMTP transport security: starttls, tls or none")
	fs.StringVar(&c.logLevel, "log-level", "info", "the least level logged: debug, info, warn or error")
	fs.DurationVar(&c.readHeaderTimeout, "read-header-timeout", readHeaderTimeout, "how long a client may take to send a request's headers")
	fs.DurationVar(&c.readTimeout, "read-timeout", readTimeout, "how long a client may take to send a whole request")
	fs.DurationVar(&c.writeTimeout, "write-timeout", writeTimeout, "how long a response may take to be written")
	fs.DurationVar(&c.idleTimeout, "idle-timeout", idleTimeout, "how long an idle keep-alive connection is kept open")
	fs.StringVar(&c.tlsCert, "tls-cert", "", "a PEM certificate (chain) file: serve HTTPS with it and --tls-key")
	fs.StringVar(&c.tlsKey, "tls-key", "", "the PEM private key file of --tls-cert")
	fs.StringVar(&c.trustedProxy, "trusted-proxy", "", "addresses or CIDR prefixes of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed, comma-separated")
	fs.IntVar(&c.assessRate, "assess-rate", httpapi.DefaultAssessRate, "requests a minute one address may make to the public assessment doors (POST /api/v1/assessments, POST /check)")
	fs.StringVar(&c.metricsToken, "metrics-token", "", "a secret that lets a scraper on a public address read /metrics as a bearer token (loopback and private addresses need none)")
	fs.StringVar(&c.debugAddr, "debug-addr", "", "an address (keep it private, e.g. 127.0.0.1:6060) on which to serve Go's profiler at /debug/pprof/; off when empty")
	if err := parseFlags(fs, args, e.getenv); err != nil {
		if errors.Is(err, errHelp) {
			return nil
		}
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		fmt.Fprintf(e.stderr, "aftercare: --log-level %q; allowed: debug, info, warn, error\n", c.logLevel)
		return errUsage
	}
	if c.linkTTL <= 0 {
		fmt.Fprintln(e.stderr, "aftercare: --link-ttl must be positive")
		return errUsage
	}
	if (c.tlsCert == "") != (c.tlsKey == "") {
		fmt.Fprintln(e.stderr, "aftercare: --tls-cert and --tls-key go together: give both to serve HTTPS, or neither")
		return errUsage
	}
	if c.assessRate <= 0 {
		fmt.Fprintf(e.stderr, "aftercare: --assess-rate must be a positive number of requests a minute, not %d\n", c.assessRate)
		return errUsage
	}
	proxies, err := httpapi.ParseTrustedProxies(c.trustedProxy)
	if err != nil {
		fmt.Fprintf(e.stderr, "aftercare: --trusted-proxy: %s\n", aftercare.ErrorMessage(err))
		return errUsage
	}
	c.proxies = proxies
	for name, d := range map[string]time.Duration{"read-header-timeout": c.readHeaderTimeout, "read-timeout": c.readTimeout,
		"write-timeout": c.writeTimeout, "idle-timeout": c.idleTimeout} {
		if d <= 0 {
			fmt.Fprintf(e.stderr, "aftercare: --%s must be positive\n", name)
			return errUsage
		}
	}
	logger := slog.New(slog.NewJSONHandler(e.stderr, &slog.HandlerOptions{Level: level}))
	return serve(ctx, e, c, logger)
}

func serve(ctx context.Context, e *env, c serveConfig, logger *slog.Logger) error {
	tuneGC(e.getenv)
	var assessor *triage.Engine
	var err error
	if c.knowledge != "" {
		assessor, err = triage.Load(c.knowledge)
	} else {
		assessor, err = triage.Default()
	}
	if err != nil {
		return fmt.Errorf("loading the knowledge base: %w", err)
	}
	var mailer *followup.Mailer
	if c.smtp.Host != "" {
		if mailer, err = followup.NewMailer(c.smtp); err != nil {
			return err
		}
	}

	var tlsConfig *tls.Config
	if c.tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(c.tlsCert, c.tlsKey)
		if err != nil {
			return fmt.Errorf("loading --tls-cert and --tls-key: %w", err)
		}
		tlsConfig = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
	}
	scheme := "http"
	if tlsConfig != nil {
		scheme = "https"
	}

	st, err := openStore(ctx, c.storeFlags)
	if err != nil {
		return err
	}
	defer st.Close()

	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", c.addr, err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	baseURL := strings.TrimRight(c.baseURL, "/")
	if baseURL == "" {
		baseURL = scheme + "://" + addr
		if tcp, ok := ln.Addr().(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
			logger.Warn("the links sent to clients point at " + baseURL + "; set --base-url to the server's public address")
		}
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	// The workers outlive ctx: they are stopped after the last request is answered.
	workCtx, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()
	ring, err := c.keyring(false)
	if err != nil {
		return err
	}
	workers := followup.Workers(followup.Deps{
		Keyring:  ring,
		Store:    st,
		Mailer:   mailer,
		Webhooks: followup.NewWebhookSender(nil),
		BaseURL:  baseURL,
		LinkTTL:  c.linkTTL,
		Now:      time.Now,
		Logger:   logger,
		Metrics:  reg,
	})
	stopWork, err := st.Work(workCtx, workers, logger)
	if err != nil {
		return fmt.Errorf("starting the follow-up workers: %w", err)
	}

	// A nil *followup.Mailer must stay a nil interface: no mail server.
	var linkMailer usecase.Mailer
	if mailer != nil {
		linkMailer = mailer
	}
	handler := httpapi.NewServer(httpapi.Deps{
		Assessor: assessor,
		Store:    st,
		Logger:   logger,
		Metrics:  reg,
		Now:      time.Now,
		BaseURL:  baseURL,
		LinkTTL:  c.linkTTL,
		// The access log keeps route patterns only: never paths (a client
		// link carries its token in one), headers, bodies or emails.
		TrustedProxies: c.proxies,
		AssessRate:     c.assessRate,
		MetricsToken:   c.metricsToken,
		Mailer:         linkMailer,
		Web: web.New(web.Deps{
			Assessor:        assessor,
			Store:           st,
			Knowledge:       assessor.Knowledge(),
			Now:             time.Now,
			EmergencyNumber: c.emergencyNumber,
			BaseURL:         baseURL,
			LinkTTL:         c.linkTTL,
			Logger:          logger,
			Mail:            mailer != nil,
			Mailer:          linkMailer,
		}),
	})
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: c.readHeaderTimeout,
		ReadTimeout:       c.readTimeout,
		WriteTimeout:      c.writeTimeout,
		IdleTimeout:       c.idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		TLSConfig:         tlsConfig,
	}
	if c.debugAddr != "" {
		stopDebug, err := serveDebug(c.debugAddr, e.stderr)
		if err != nil {
			return err
		}
		defer stopDebug()
	}
	served := make(chan error, 1)
	go func() {
		if tlsConfig != nil {
			// The certificate is in TLSConfig already.
			served <- srv.ServeTLS(ln, "", "")
			return
		}
		served <- srv.Serve(ln)
	}()
	fmt.Fprintf(e.stderr, "aftercare: serving on %s://%s\n", scheme, addr)
	logger.Info("serving", "addr", addr, "knowledge_version", assessor.KnowledgeVersion())

	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-served:
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		serveErr = errors.Join(serveErr, fmt.Errorf("shutting down: %w", err))
	}
	if err := stopWork(shutdownCtx); err != nil {
		serveErr = errors.Join(serveErr, fmt.Errorf("stopping the follow-up workers: %w", err))
	}
	logger.Info("stopped")
	return serveErr
}

// serveDebug serves Go's profiler on its own listener at addr, apart from the
// public handler (so no route, middleware or rate limit of the API sees it),
// and returns the function that stops it.
func serveDebug(addr string, stderr io.Writer) (func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listening on --debug-addr %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: readHeaderTimeout}
	go func() { _ = srv.Serve(ln) }()
	fmt.Fprintf(stderr, "aftercare: profiler on http://%s/debug/pprof/\n", ln.Addr())
	return func() { _ = srv.Close() }, nil
}

// The garbage collector's settings for serve, unless GOGC or GOMEMLIMIT says
// otherwise. A server's live heap is small (tens of MiB) and nearly all it
// allocates lives for one request, so collecting when the heap has grown
// fivefold rather than twofold spends much less CPU on collection for a few
// MiB more; the soft limit keeps the process well under the 200 MiB it is
// held to however the heap grows.
const (
	serveGCPercent     = 400
	serveMemoryLimitMB = 160
)

// tuneGC applies serve's garbage-collector settings where the environment
// does not set its own.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimitMB << 20)
	}
}
