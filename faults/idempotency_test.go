package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestIdempotencyKey(t *testing.T) {
	st := newStore(t, "SQLite")
	cl := setupClinic(t, st)
	srv := startServe(t, st.flags...)
	a := newAPI(srv.base, cl.token)
	first, second := a.createSession(t, time.Hour, ""), a.createSession(t, time.Hour, "")
	post := func(session int64, headers ...string) (*response, checkInAnswer) {
		t.Helper()
		resp, err := a.do(context.Background(), "POST", fmt.Sprintf("/api/v1/sessions/%d/check-ins", session), checkInBodies[1], headers...)
		if err != nil {
			t.Fatal(err)
		}
		var c checkInAnswer
		_ = json.Unmarshal(resp.body, &c)
		return resp, c
	}

	for _, tc := range []struct {
		name, key string
	}{
		{"a key longer than 200 bytes is refused naming the header", strings.Repeat("k", 201)},
		{"an empty key is refused naming the header", ""},
		{"a key with a character outside printable ASCII is refused naming the header", "clé-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, _ := post(first, "Idempotency-Key", tc.key)
			if resp.status != http.StatusBadRequest || !strings.Contains(string(resp.body), `"field":"Idempotency-Key"`) {
				t.Errorf("status %d: %s; want 400 naming Idempotency-Key", resp.status, resp.body)
			}
		})
	}

	t.Run("a retry under the same key answers the first check-in, byte for byte, marked replayed", func(t *testing.T) {
		key := newKey()
		r1, c1 := post(first, "Idempotency-Key", key)
		r2, c2 := post(first, "Idempotency-Key", key)
		if r1.status != http.StatusCreated || r2.status != http.StatusCreated || c1.ID == 0 || c1.ID != c2.ID {
			t.Fatalf("statuses %d, %d and check-ins %d, %d; want 201 twice for one check-in", r1.status, r2.status, c1.ID, c2.ID)
		}
		if string(r1.body) != string(r2.body) {
			t.Errorf("the replay's body differs:\n%s\n%s", r1.body, r2.body)
		}
		if r1.header.Get("Idempotent-Replayed") != "" || r2.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("Idempotent-Replayed: %q then %q; want none then true", r1.header.Get("Idempotent-Replayed"), r2.header.Get("Idempotent-Replayed"))
		}
	})

	t.Run("a retry whose JSON is ordered and spaced otherwise is still a retry", func(t *testing.T) {
		key := newKey()
		_, c1 := post(first, "Idempotency-Key", key)
		resp, err := a.do(context.Background(), "POST", fmt.Sprintf("/api/v1/sessions/%d/check-ins", first),
			json.RawMessage(`{ "symptoms": ["numbness"], "soreness": [{"pain": 5, "area": "neck"}] }`), "Idempotency-Key", key)
		if err != nil {
			t.Fatal(err)
		}
		var c2 checkInAnswer
		_ = json.Unmarshal(resp.body, &c2)
		if resp.status != http.StatusCreated || c2.ID != c1.ID || resp.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("status %d, check-in %d (first %d), replayed %q; want the first check-in replayed", resp.status, c2.ID, c1.ID, resp.header.Get("Idempotent-Replayed"))
		}
	})

	t.Run("a different check-in under a used key is refused with 409 naming the header, and stores nothing", func(t *testing.T) {
		session := a.createSession(t, time.Hour, "")
		key := newKey()
		r1, c1 := post(session, "Idempotency-Key", key)
		// The client now reports a red flag, by mistake under the same key:
		// replaying the first answer would hide it.
		r2, err := a.do(context.Background(), "POST", fmt.Sprintf("/api/v1/sessions/%d/check-ins", session), checkInBodies[2], "Idempotency-Key", key)
		if err != nil {
			t.Fatal(err)
		}
		if r1.status != http.StatusCreated || r2.status != http.StatusConflict ||
			!strings.Contains(string(r2.body), `"code":"conflict"`) || !strings.Contains(string(r2.body), `"field":"Idempotency-Key"`) {
			t.Fatalf("statuses %d then %d: %s; want 201 then 409 conflict naming Idempotency-Key", r1.status, r2.status, r2.body)
		}
		r3, c3 := post(session, "Idempotency-Key", key)
		if r3.status != http.StatusCreated || c3.ID != c1.ID || r3.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("the first request again: status %d, check-in %d (first %d); want the first replayed", r3.status, c3.ID, c1.ID)
		}
		sr, err := a.do(context.Background(), "GET", fmt.Sprintf("/api/v1/sessions/%d", session), nil)
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			CheckIns []checkInAnswer `json:"check_ins"`
		}
		if err := json.Unmarshal(sr.body, &got); err != nil || len(got.CheckIns) != 1 {
			t.Errorf("the session holds %d check-ins (%v), want the first alone: %s", len(got.CheckIns), err, clipBody(sr.body))
		}
	})

	t.Run("the same key on another session is another check-in", func(t *testing.T) {
		key := newKey()
		_, c1 := post(first, "Idempotency-Key", key)
		r2, c2 := post(second, "Idempotency-Key", key)
		if r2.status != http.StatusCreated || c2.ID == c1.ID || r2.header.Get("Idempotent-Replayed") != "" {
			t.Errorf("status %d, check-in %d (first %d), replayed %q; want a new check-in", r2.status, c2.ID, c1.ID, r2.header.Get("Idempotent-Replayed"))
		}
	})

	t.Run("without a key each post is a check-in of its own", func(t *testing.T) {
		_, c1 := post(second)
		_, c2 := post(second)
		if c1.ID == 0 || c1.ID == c2.ID {
			t.Errorf("check-ins %d and %d; want two", c1.ID, c2.ID)
		}
	})
	srv.stop(t)
}
