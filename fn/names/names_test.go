package names

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation"
)

// The local checks agree with apimachinery's, message for message.
func TestAgreesWithApimachinery(t *testing.T) {
	inputs := []string{"", "a", "my-name", "123-abc", "Bad_Name", "-x", "x-", "a.b", "a..b", "example.com", "UPPER",
		"ubuntu-vm-external-nad", strings.Repeat("a", 63), strings.Repeat("a", 64), strings.Repeat("a.", 127) + "a", "a b", "ünï",
		"ssh", "http-alt", "web--x", "123", "a-1", "abcdefghijklmnop", "web_port"}
	for _, v := range inputs {
		if got, want := DNS1123Label(v), validation.IsDNS1123Label(v); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("DNS1123Label(%q) = %q, apimachinery says %q", v, got, want)
		}
		if got, want := DNS1123Subdomain(v), validation.IsDNS1123Subdomain(v); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("DNS1123Subdomain(%q) = %q, apimachinery says %q", v, got, want)
		}
		if got, want := ValidPortName(v), len(validation.IsValidPortName(v)) == 0; got != want {
			t.Errorf("ValidPortName(%q) = %v, apimachinery says %v", v, got, want)
		}
	}
}
