package followup_test

import (
	"testing"
	"time"

	"aftercare/followup/mailtest"
)

// mailpit is a real SMTP server for tests, read back through its HTTP API.
type mailpit = mailtest.Server

func startMailpit(t *testing.T, flags ...string) *mailpit { return mailtest.Start(t, flags...) }

func eventually(t *testing.T, timeout time.Duration, cond func() (bool, string)) {
	t.Helper()
	mailtest.Eventually(t, timeout, cond)
}
