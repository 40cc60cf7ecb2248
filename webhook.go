package aftercare

import (
	"net/netip"
	"net/url"
	"strings"
)

// metadataAddrs are the cloud instance-metadata services, which hand out
// credentials to whoever on the machine asks: a webhook must never reach them.
var metadataAddrs = []netip.Addr{
	netip.MustParseAddr("169.254.169.254"), // AWS, GCP, Azure, OpenStack, DigitalOcean
	netip.MustParseAddr("169.254.170.2"),   // AWS ECS task metadata
	netip.MustParseAddr("fd00:ec2::254"),   // AWS over IPv6
	netip.MustParseAddr("100.100.100.200"), // Alibaba Cloud
}

// metadataHosts are the names the metadata services answer to.
var metadataHosts = []string{"metadata.google.internal", "metadata", "instance-data", "instance-data.ec2.internal"}

// ForbiddenWebhookAddr reports whether a webhook may not be sent to ip: a
// link-local address (169.254.0.0/16, fe80::/10, where metadata services
// and neighbours' devices answer), an unspecified or multicast address, or a
// known cloud metadata address.
func ForbiddenWebhookAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	if ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() || !ip.IsValid() {
		return true
	}
	for _, m := range metadataAddrs {
		if ip == m {
			return true
		}
	}
	return false
}

// CheckWebhookURL checks a clinic's webhook URL: an absolute http or https
// URL whose host is not a link-local or metadata address or name. The
// sender checks the addresses a name resolves to again when it connects.
func CheckWebhookURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return invalid("webhook_url", "the webhook URL must be an absolute http or https URL with no user name or password in it")
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if ip, err := netip.ParseAddr(host); err == nil && ForbiddenWebhookAddr(ip) {
		return invalid("webhook_url", "the webhook URL points at %s, a link-local or cloud metadata address; give the address of the clinic's own receiver", host)
	}
	for _, m := range metadataHosts {
		if host == m {
			return invalid("webhook_url", "the webhook URL points at %s, a cloud metadata service; give the address of the clinic's own receiver", host)
		}
	}
	return nil
}
