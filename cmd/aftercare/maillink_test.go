package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"aftercare/followup/mailtest"
)

// The server wires its mail server to the pages and the API: a link emailed
// through the API arrives, and without --smtp-host the API says there is no
// mail server.
func TestServeEmailsALink(t *testing.T) {
	mp := mailtest.Start(t)
	tests := []struct {
		name   string
		smtp   []string
		status int
	}{
		{"with a mail server the link is emailed", []string{"--smtp-host", mp.SMTPHost, "--smtp-port", strconv.Itoa(mp.SMTPPort), "--smtp-tls", "none", "--smtp-from", "desk@calm.example"}, http.StatusCreated},
		{"without one the API says the link cannot be emailed", nil, http.StatusServiceUnavailable},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := t.TempDir()
			clinicID := clinicIDLine.FindStringSubmatch(runCommand(t, nil, "", "admin", "create-clinic", "--name", "Calm Hands", "--data", data).stdout)[1]
			token := tokenLine.FindStringSubmatch(runCommand(t, nil, "", "admin", "create-token", "--clinic", clinicID, "--name", "desk", "--data", data).stdout)[1]
			s := startServe(t, nil, append([]string{"--addr", "127.0.0.1:0", "--data", data}, tt.smtp...)...)
			call := func(path, body string) (int, map[string]any) {
				t.Helper()
				req, _ := http.NewRequest("POST", "http://"+s.addr+path, strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+token)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				var v map[string]any
				_ = json.NewDecoder(resp.Body).Decode(&v)
				return resp.StatusCode, v
			}
			addr := fmt.Sprintf("client%d@client.test", i)
			_, c := call("/api/v1/clients", fmt.Sprintf(`{"name":"Ida Wire","email":%q}`, addr))
			_, sess := call("/api/v1/sessions", fmt.Sprintf(`{"client_id":%v}`, c["id"]))
			status, got := call(fmt.Sprintf("/api/v1/sessions/%v/links/email", sess["id"]), "")
			if status != tt.status {
				t.Fatalf("status %d, want %d: %v", status, tt.status, got)
			}
			if status == http.StatusCreated {
				msgs := mp.WaitForMail(t, addr, 1)
				if !strings.Contains(msgs[0].Text, "http://"+s.addr+"/c/c_") {
					t.Errorf("the mail has no link to this server:\n%s", msgs[0].Text)
				}
			}
		})
	}
}
