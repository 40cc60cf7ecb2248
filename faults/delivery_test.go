package faults

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"aftercare/followup"
)

// smtpSink is a minimal SMTP server that keeps the recipients of every message.
type smtpSink struct {
	ln   net.Listener
	mu   sync.Mutex
	rcpt []string
}

// startSMTPSink listens on addr and accepts every message.
func startSMTPSink(t *testing.T, addr string) *smtpSink {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("SMTP sink: %v", err)
	}
	s := &smtpSink{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpSink) serve(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	r := bufio.NewReader(c)
	reply := func(line string) { fmt.Fprintf(c, "%s\r\n", line) }
	reply("220 sink ESMTP")
	var to []string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			reply("250-sink")
			reply("250-8BITMIME")
			reply("250 SMTPUTF8")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			addr := strings.Trim(strings.TrimSpace(line[len("RCPT TO:"):]), "<>")
			if i := strings.IndexByte(addr, '>'); i >= 0 {
				addr = addr[:i]
			}
			to = append(to, strings.ToLower(addr))
			reply("250 OK")
		case cmd == "DATA":
			reply("354 go on")
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" || l == ".\n" {
					break
				}
			}
			s.mu.Lock()
			s.rcpt = append(s.rcpt, to...)
			s.mu.Unlock()
			to = nil
			reply("250 queued")
		case cmd == "QUIT":
			reply("221 bye")
			return
		default:
			reply("250 OK")
		}
	}
}

func (s *smtpSink) count(addr string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.rcpt {
		if r == addr {
			n++
		}
	}
	return n
}

// hookSink receives webhooks and keeps every verified event by id.
type hookSink struct {
	mu     sync.Mutex
	events map[string][]string // type → ids, one entry per delivery
	bad    []string
}

func (h *hookSink) ServeHTTP(w http.ResponseWriter, r *http.Request, secret string) {
	body, _ := io.ReadAll(r.Body)
	var ev struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := followup.VerifySignature(secret, r.Header.Get(followup.SignatureHeader), body, time.Now(), 5*time.Minute); err != nil {
		h.bad = append(h.bad, err.Error())
	}
	if err := json.Unmarshal(body, &ev); err != nil {
		h.bad = append(h.bad, err.Error())
	}
	h.events[ev.Type] = append(h.events[ev.Type], ev.ID)
	w.WriteHeader(http.StatusNoContent)
}

func (h *hookSink) count(typ string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.events[typ])
}

func TestDeliveryRetry(t *testing.T) {
	t.Run("reminders and flag notices are retried while SMTP and the webhook are down, and delivered once they are up", func(t *testing.T) {
		st := newStore(t, "SQLite")
		smtpAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
		hookAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
		out := mustCLI(t, append([]string{"admin", "create-clinic", "--name", "Retry Clinic",
			"--notify-email", "desk@clinic.example", "--webhook-url", "http://" + hookAddr + "/hook"}, st.flags...)...)
		secret := field(t, out, "webhook_secret")
		clinicID := field(t, out, "clinic_id")
		out = mustCLI(t, append([]string{"admin", "create-token", "--clinic", clinicID, "--name", "retry"}, st.flags...)...)
		token := field(t, out, "token")
		_, port, _ := net.SplitHostPort(smtpAddr)
		srv := startServe(t, append([]string{"--smtp-host", "127.0.0.1", "--smtp-port", port, "--smtp-tls", "none",
			"--smtp-from", "aftercare@clinic.example"}, st.flags...)...)
		a := newAPI(srv.base, token)

		// A session that ended 25 hours ago: its 24-hour reminder is due now.
		a.createSession(t, 25*time.Hour, "sam@client.example")
		// Another session's check-in is flagged: the clinic is told at once.
		flagged := a.createSession(t, time.Hour, "")
		var c checkInAnswer
		a.must(t, "POST", fmt.Sprintf("/api/v1/sessions/%d/check-ins", flagged), checkInBodies[2], http.StatusCreated, &c)
		if !consultOrAbove[c.Assessment.Level] {
			t.Fatalf("the flagged check-in was graded %s", c.Assessment.Level)
		}

		db := st.open(t)
		failedAttempts := func() (reminder, notice int) {
			rows, err := db.Query(`SELECT kind, attempt, state FROM river_job`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var kind, state string
				var attempt int
				if err := rows.Scan(&kind, &attempt, &state); err != nil {
					t.Fatal(err)
				}
				// A failed attempt leaves the job retryable (or, once due
				// again, available or scheduled). A running attempt has not
				// failed yet: if it is still connecting when the servers come
				// up it succeeds, so it must not count.
				if state != "retryable" && state != "available" && state != "scheduled" {
					continue
				}
				switch kind {
				case "checkin_reminder":
					reminder = max(reminder, attempt)
				case "flag_notice":
					notice = max(notice, attempt)
				}
			}
			return reminder, notice
		}
		eventually(t, 30*time.Second, func() (bool, string) {
			r, n := failedAttempts()
			return r >= 1 && n >= 1, fmt.Sprintf("attempts so far: reminder %d, flag notice %d", r, n)
		})
		downFor := time.Now()

		mail := startSMTPSink(t, smtpAddr)
		hooks := &hookSink{events: map[string][]string{}}
		hookLn, err := net.Listen("tcp", hookAddr)
		if err != nil {
			t.Fatal(err)
		}
		hookSrv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hooks.ServeHTTP(w, r, secret) })}
		go hookSrv.Serve(hookLn)
		t.Cleanup(func() { hookSrv.Shutdown(context.Background()) })

		eventually(t, 90*time.Second, func() (bool, string) {
			got := fmt.Sprintf("client mails %d, clinic mails %d, reminder hooks %d, flag hooks %d",
				mail.count("sam@client.example"), mail.count("desk@clinic.example"),
				hooks.count(followup.EventReminder), hooks.count(followup.EventFlagged))
			return mail.count("sam@client.example") >= 1 && mail.count("desk@clinic.example") >= 1 &&
				hooks.count(followup.EventReminder) >= 1 && hooks.count(followup.EventFlagged) >= 1, got
		})
		delivered := time.Since(downFor)
		time.Sleep(2 * time.Second) // a second delivery would show now
		srv.stop(t)

		var attempts []string
		rows, err := db.Query(`SELECT kind, state, attempt FROM river_job ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var kind, state string
			var attempt int
			if err := rows.Scan(&kind, &state, &attempt); err != nil {
				t.Fatal(err)
			}
			attempts = append(attempts, fmt.Sprintf("%s:%s:%d", kind, state, attempt))
			// Every job that ran failed first (both servers down), then succeeded.
			if attempt > 0 && (state != "completed" || attempt < 2) {
				t.Errorf("job %s is %s after %d attempts; want completed after a retry", kind, state, attempt)
			}
		}
		rows.Close()
		figures(t, "delivered_after=%v client_mails=%d clinic_mails=%d reminder_hooks=%d flag_hooks=%d jobs=%v",
			delivered.Round(100*time.Millisecond), mail.count("sam@client.example"), mail.count("desk@clinic.example"),
			hooks.count(followup.EventReminder), hooks.count(followup.EventFlagged), attempts)
		for _, want := range []struct {
			what string
			got  int
		}{
			{"reminder emails to the client", mail.count("sam@client.example")},
			{"flag emails to the clinic", mail.count("desk@clinic.example")},
			{"reminder webhooks", hooks.count(followup.EventReminder)},
			{"flag webhooks", hooks.count(followup.EventFlagged)},
		} {
			if want.got != 1 {
				t.Errorf("%d %s, want exactly 1", want.got, want.what)
			}
		}
		if len(hooks.bad) > 0 {
			t.Errorf("webhooks that did not verify: %v", hooks.bad)
		}
	})
}
