package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// syncBuffer is a buffer that a running command and a test may share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.buf.String() }

// outcome is what one in-process run of the command did.
type outcome struct {
	stdout, stderr string
	err            error
	code           int
}

// runCommand runs the command in-process with the given environment and standard input.
func runCommand(t *testing.T, env map[string]string, stdin string, args ...string) outcome {
	t.Helper()
	var stdout, stderr syncBuffer
	getenv := func(k string) string { return env[k] }
	err := run(context.Background(), append([]string{"aftercare"}, args...), getenv, strings.NewReader(stdin), &stdout, &stderr)
	code := exitCode(err, &stderr) // as main does
	return outcome{stdout: stdout.String(), stderr: stderr.String(), err: err, code: code}
}

// defaultPostgres is the server the PostgreSQL tests create their database on.
const defaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

var (
	pgOnce sync.Once
	pgURL  string
	pgErr  error
	pgDrop func()
)

func TestMain(m *testing.M) {
	code := m.Run()
	if pgDrop != nil {
		pgDrop()
	}
	os.Exit(code)
}

// postgresURL returns a fresh database for this test run, made on first use;
// without PostgreSQL the test fails on CI and is skipped elsewhere.
func postgresURL(t *testing.T) string {
	t.Helper()
	pgOnce.Do(func() {
		base := os.Getenv("AFTERCARE_TEST_POSTGRES")
		if base == "" {
			base = defaultPostgres
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			pgErr = err
			return
		}
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		name := "aftercare_cmd_" + hex.EncodeToString(b)
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
			pgErr = err
			conn.Close(ctx)
			return
		}
		u, _ := url.Parse(base)
		u.Path = "/" + name
		pgURL = u.String()
		pgDrop = func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
			conn.Close(ctx)
		}
	})
	if pgURL == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL is unreachable: %v", pgErr)
		}
		t.Skipf("PostgreSQL is unreachable: %v", pgErr)
	}
	return pgURL
}

// storeArgs returns the flags that put a command on a fresh store of the given kind.
func storeArgs(t *testing.T, kind string) []string {
	t.Helper()
	if kind == "PostgreSQL" {
		return []string{"--database", postgresURL(t)}
	}
	return []string{"--data", t.TempDir()}
}

var storeKinds = []string{"SQLite", "PostgreSQL"}
