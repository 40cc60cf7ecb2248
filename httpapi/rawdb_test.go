package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"aftercare"
)

// TestTheDatabaseHoldsNoSecret makes every kind of secret the service hands
// out (an API token, a client link, a staff session cookie, a password), then
// reads the database raw: the SQLite file and its write-ahead log byte by
// byte, or every row of every PostgreSQL table as text. None of the secrets
// may be there, nor the random part of any; what they are stored as (hashes)
// and the data around them must be.
func TestTheDatabaseHoldsNoSecret(t *testing.T) {
	forEachStore(t, func(t *testing.T, h *harness) {
		email := fmt.Sprintf("raw-%d@calm.example", time.Now().UnixNano())
		h.createUser(t, h.clinic.ID, email, aftercare.RoleOwner)
		pw := staffPassword
		cookieValue := h.do("POST", "/login", loginForm(email, pw), form()).wantSignedIn(t)
		c := h.createClient(t, "Rawdata Person")
		sess := h.createSession(t, map[string]any{"client_id": c.ID})
		link := linkToken(sess.CheckInURL)
		h.do("POST", "/api/v1/checkin/"+link, `{"soreness":[{"area":"neck","pain":3}]}`).want(t, 201)
		fresh := decode[struct {
			CheckInURL string `json:"check_in_url"`
		}](t, h.api("POST", fmt.Sprintf("/api/v1/sessions/%d/links", sess.ID), nil).want(t, 201))
		secrets := map[string]string{
			"the API token":          h.token,
			"the other API token":    h.other,
			"the client link":        link,
			"the fresh client link":  linkToken(fresh.CheckInURL),
			"the session cookie":     cookieValue,
			"the password":           pw,
			"the check-in URL":       sess.CheckInURL,
			"the fresh check-in URL": fresh.CheckInURL,
		}
		// The random part alone, in case a store dropped the prefix.
		for name, s := range map[string]string{"token": h.token, "link": link, "cookie": cookieValue} {
			secrets["the random part of the "+name] = s[strings.IndexByte(s, '_')+1:]
		}
		raw := h.rawDatabase(t)
		for _, want := range []string{"Rawdata Person", email, "$argon2id$"} {
			if !bytes.Contains(raw, []byte(want)) {
				t.Fatalf("the raw read does not find %q: it does not see the data", want)
			}
		}
		for name, s := range secrets {
			t.Run("the database does not hold "+name, func(t *testing.T) {
				if bytes.Contains(raw, []byte(s)) {
					t.Errorf("%s is in the database in plain text", name)
				}
			})
		}
		t.Run("the database holds the token's hash", func(t *testing.T) {
			hash := aftercare.HashSecret(h.token)
			if h.kind == "SQLite" && !bytes.Contains(raw, hash) {
				t.Error("the SQLite file lacks the token's hash")
			}
			if h.kind == "PostgreSQL" && !bytes.Contains(raw, fmt.Appendf(nil, `\x%x`, hash)) {
				t.Error("PostgreSQL lacks the token's hash")
			}
		})
	})
}

// rawDatabase returns everything the store holds, as raw as it can be read:
// the SQLite file and its WAL, or each row of each PostgreSQL table as text.
func (h *harness) rawDatabase(t testing.TB) []byte {
	t.Helper()
	switch h.kind {
	case "SQLite":
		p := h.store.(interface{ Path() string }).Path()
		var out []byte
		for _, f := range []string{p, p + "-wal"} {
			data, err := os.ReadFile(f)
			if err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			out = append(out, data...)
		}
		return out
	case "PostgreSQL":
		ctx := context.Background()
		conn := h.postgresConn(t)
		rows, err := conn.Query(ctx, `SELECT table_schema, table_name FROM information_schema.tables
			WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`)
		if err != nil {
			t.Fatal(err)
		}
		var tables []pgx.Identifier
		for rows.Next() {
			var schema, name string
			if err := rows.Scan(&schema, &name); err != nil {
				t.Fatal(err)
			}
			tables = append(tables, pgx.Identifier{schema, name})
		}
		rows.Close()
		if len(tables) < 5 {
			t.Fatalf("only %d tables", len(tables))
		}
		var out bytes.Buffer
		for _, tbl := range tables {
			rows, err := conn.Query(ctx, "SELECT x::text FROM "+tbl.Sanitize()+" x")
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					t.Fatal(err)
				}
				out.WriteString(s)
				out.WriteByte('\n')
			}
			rows.Close()
		}
		return out.Bytes()
	}
	t.Fatalf("unknown store %q", h.kind)
	return nil
}
