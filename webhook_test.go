package aftercare_test

import (
	"strings"
	"testing"

	"aftercare"
)

func TestCheckWebhookURL(t *testing.T) {
	tests := []struct {
		name, url, why string // why is "" when the URL is accepted
	}{
		{"an https URL of the clinic's receiver is accepted", "https://hooks.kneads.example/aftercare", ""},
		{"a receiver on the clinic's own network is accepted", "http://10.1.2.3:8080/hook", ""},
		{"a relative URL is refused", "/hook", "absolute http or https"},
		{"another scheme is refused", "ftp://hooks.example/x", "absolute http or https"},
		{"a user and password in the URL are refused", "https://user:pw@hooks.example/x", "no user name"},
		{"the cloud metadata address is refused", "http://169.254.169.254/latest/meta-data/", "link-local or cloud metadata"},
		{"any link-local IPv4 address is refused", "http://169.254.10.20/", "link-local"},
		{"a link-local IPv6 address is refused", "http://[fe80::1]/hook", "link-local"},
		{"the IPv6 metadata address is refused", "http://[fd00:ec2::254]/", "metadata"},
		{"an IPv4-mapped metadata address is refused", "http://[::ffff:169.254.169.254]/", "metadata"},
		{"Google's metadata name is refused", "http://metadata.google.internal./computeMetadata/v1/", "metadata service"},
		{"the unspecified address is refused", "http://0.0.0.0:9000/", "link-local"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := aftercare.CheckWebhookURL(tt.url)
			if tt.why == "" {
				if err != nil {
					t.Fatalf("CheckWebhookURL(%q) = %v, want accepted", tt.url, err)
				}
				return
			}
			if err == nil || aftercare.ErrorField(err) != "webhook_url" || !strings.Contains(err.Error(), tt.why) {
				t.Fatalf("CheckWebhookURL(%q) = %v, want a webhook_url error saying %q", tt.url, err, tt.why)
			}
		})
	}
}
