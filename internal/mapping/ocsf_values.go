package mapping

import (
	"net/netip"
	"strings"
)

// OCSF severity_id from Okta's severity: DEBUG and INFO are Informational (1), WARN Medium (3), ERROR
// High (4); any other value is Other (99) and a missing one Unknown (0). Okta's own word stays in
// metadata.log_level.
func ocsfSeverity(severity string, ok bool) (int64, string) {
	if !ok {
		return 0, "Unknown"
	}
	switch severity {
	case "DEBUG", "INFO":
		return 1, "Informational"
	case "WARN":
		return 3, "Medium"
	case "ERROR":
		return 4, "High"
	}
	return 99, severity
}

// ocsfStatus returns status_id and status for Okta's outcome.result: SUCCESS and ALLOW are Success (1),
// FAILURE and DENY Failure (2), UNKNOWN Unknown (0); any other result (SKIPPED, CHALLENGE, RATE_LIMIT,
// DEFERRED, SCHEDULED, ...) is Other (99) with status the result itself. Okta's word is also status_code.
func ocsfStatus(result string) (int64, string) {
	switch strings.ToUpper(result) {
	case "SUCCESS", "ALLOW":
		return 1, "Success"
	case "FAILURE", "DENY":
		return 2, "Failure"
	case "UNKNOWN":
		return 0, "Unknown"
	}
	return 99, result
}

// ocsfRiskLevel returns risk_level_id and risk_level for Okta's risk level (LOW, MEDIUM, HIGH).
func ocsfRiskLevel(level string) (int64, string) {
	switch strings.ToUpper(level) {
	case "LOW":
		return 2, "Low"
	case "MEDIUM":
		return 3, "Medium"
	case "HIGH":
		return 4, "High"
	case "UNKNOWN":
		return 0, "Unknown"
	}
	return 99, level
}

// ocsfEndpointType returns network_endpoint.type_id for Okta's client.device (Computer, Mobile, Tablet,
// Unknown, ...): 2 Desktop, 5 Mobile, 4 Tablet, 0 Unknown, else 99 Other.
func ocsfEndpointType(device string) int64 {
	switch strings.ToLower(device) {
	case "computer", "desktop":
		return 2
	case "laptop":
		return 3
	case "mobile", "phone":
		return 5
	case "tablet":
		return 4
	case "unknown":
		return 0
	}
	return 99
}

// ocsfOSType returns os.type_id for the operating system Okta names in client.userAgent.os (Windows 10,
// Mac OS X, iOS, Android, Linux, Chrome OS, ...), or 99 Other.
func ocsfOSType(os string) int64 {
	s := strings.ToLower(os)
	switch {
	case strings.HasPrefix(s, "windows phone"), strings.HasPrefix(s, "windows mobile"):
		return 101
	case strings.HasPrefix(s, "windows"):
		return 100
	case strings.HasPrefix(s, "android"):
		return 201
	case strings.HasPrefix(s, "linux"), strings.HasPrefix(s, "ubuntu"), strings.HasPrefix(s, "fedora"),
		strings.HasPrefix(s, "debian"), strings.HasPrefix(s, "chrome os"), strings.HasPrefix(s, "chromeos"):
		return 200
	case strings.HasPrefix(s, "mac"), strings.HasPrefix(s, "os x"):
		return 300
	case strings.HasPrefix(s, "ipados"):
		return 302
	case strings.HasPrefix(s, "ios"):
		return 301
	}
	return 99
}

// ocsfManagedEntityType returns managed_entity.type_id for an Okta target type: Device 1, User 2, Group 3,
// Policy 5, Network Zone 7, else 99 Other.
func ocsfManagedEntityType(oktaType string) int64 {
	switch oktaType {
	case "Device":
		return 1
	case "User":
		return 2
	case "UserGroup", "Group":
		return 3
	case "PolicyEntity", "PolicyRule", "Policy", "AuthenticatorEnrollmentPolicy", "AccessPolicy":
		return 5
	case "NetworkZone", "Zone":
		return 7
	}
	return 99
}

// ocsfEmail tells whether s is an e-mail address as OCSF's email_t defines it: a local part of letters,
// digits and !#$%&'*+,-./=?^_`{|}~, one '@', and a domain of letters, digits and '-' up to its first
// '.', followed by at least one letter, digit, '-' or '.'.
func ocsfEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 {
		return false
	}
	for i := 0; i < at; i++ {
		if !emailLocal[s[i]] {
			return false
		}
	}
	domain := s[at+1:]
	dot := strings.IndexByte(domain, '.')
	if dot <= 0 || dot == len(domain)-1 {
		return false
	}
	for i := 0; i < len(domain); i++ {
		c := domain[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' && i >= dot) {
			return false
		}
	}
	return true
}

var emailLocal = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range "!#$%&'*+,-./=?^_`{|}~" {
		t[c] = true
	}
	return t
}()

// ocsfIP tells whether s is an IP address that OCSF's ip_t accepts: IPv4 in dotted decimal, or IPv6 with
// an optional zone, at most 40 bytes.
func ocsfIP(s string) bool {
	if len(s) > 40 {
		return false
	}
	a, err := netip.ParseAddr(s)
	return err == nil && (a.Is6() || a.Zone() == "")
}
