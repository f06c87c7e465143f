package names

import "regexp"

var (
	label     = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	subdomain = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
	portName  = regexp.MustCompile(`^[-a-z0-9]+$`)
	letter    = regexp.MustCompile(`[a-z]`)
)

// DNS1123Label lists what is wrong with v as an RFC 1123 label (a namespace, a network name).
func DNS1123Label(v string) []string {
	var errs []string
	if len(v) > 63 {
		errs = append(errs, "must be no more than 63 characters")
	}
	switch {
	case label.MatchString(v):
	case subdomain.MatchString(v):
		errs = append(errs, "must not contain dots")
	default:
		errs = append(errs, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
	}
	return errs
}

// DNS1123Subdomain lists what is wrong with v as an RFC 1123 subdomain (an object name).
func DNS1123Subdomain(v string) []string {
	var errs []string
	if len(v) > 253 {
		errs = append(errs, "must be no more than 253 characters")
	}
	if !subdomain.MatchString(v) {
		errs = append(errs, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
	}
	return errs
}

// ValidPortName reports whether v is an IANA_SVC_NAME: at most 15 characters of
// [-a-z0-9] with at least one letter, no leading, trailing or double '-'.
func ValidPortName(v string) bool {
	if len(v) == 0 || len(v) > 15 || !portName.MatchString(v) || !letter.MatchString(v) {
		return false
	}
	if v[0] == '-' || v[len(v)-1] == '-' {
		return false
	}
	for i := 1; i < len(v); i++ {
		if v[i] == '-' && v[i-1] == '-' {
			return false
		}
	}
	return true
}
