// Command aftercare grades soreness after a massage, and serves the clinic side.
//
//	aftercare assess [flags] [TEXT]    grade one check-in (see aftercare assess -h)
//	aftercare knowledge validate|show  check or read the knowledge base
//	aftercare serve [flags]            run the web app and API
//	aftercare admin COMMAND [flags]    clinics, staff and API tokens
//	aftercare backup|restore|verify    copy, put back or check the database
//
// main only wires; each command lives in its own file and gets its environment
// through run, so tests start the real thing in-process.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // the clinics' time zones, on machines without a zone database
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	os.Exit(exitCode(err, os.Stderr))
}

// env is what a command may touch of the world outside it.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// exitError carries an exit code out of a command whose message is already written.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func exitCode(err error, stderr io.Writer) int {
	var ee exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintln(stderr, "aftercare:", err)
	return 1
}

var errUsage = errors.New("usage")

const usage = `aftercare: grades soreness after a massage, and serves the clinic side.

usage:
  aftercare assess [flags] [TEXT]      grade one check-in ("aftercare assess -h" for the flags)
  aftercare knowledge validate [FILE]  check a knowledge file (the built-in one without FILE)
  aftercare knowledge show             the rules, advice and sources, readable
  aftercare serve [flags]              run the web app and the API
  aftercare admin COMMAND [flags]      create-clinic, list-clinics, create-user, set-password, create-token,
                                       list-tokens, revoke-token, audit
  aftercare backup --out FILE          a consistent copy of the SQLite database, while serving
  aftercare restore --from FILE        put a SQLite backup in place (serve stopped)
  aftercare verify                     check the database: integrity, migrations, jobs, counts
`

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) < 2 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch args[1] {
	case "assess":
		return runAssess(ctx, e, args[2:])
	case "knowledge":
		return runKnowledge(ctx, e, args[2:])
	case "serve":
		return runServe(ctx, e, args[2:])
	case "admin":
		return runAdmin(ctx, e, args[2:])
	case "backup":
		return runBackup(ctx, e, args[2:])
	case "restore":
		return runRestore(ctx, e, args[2:])
	case "verify":
		return runVerify(ctx, e, args[2:])
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "aftercare: unknown command %q\n\n%s", args[1], usage)
	return errUsage
}
