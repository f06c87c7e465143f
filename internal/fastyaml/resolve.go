package fastyaml

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// resolveTag is the tag go-yaml (v3) gives a plain scalar: the YAML 1.2 core
// schema as go-yaml reads it, with its extras (1.1 octals such as 0777, 0b and 0o
// integers, underscores in numbers, timestamps).
func resolveTag(v string) string {
	if v == "" {
		return "!!null"
	}
	c := v[0]
	switch {
	case c == '+' || c == '-' || (c >= '0' && c <= '9'):
		if special(v) != "" {
			return special(v)
		}
		return number(v)
	case c == '.':
		if special(v) != "" {
			return special(v)
		}
		if _, err := strconv.ParseFloat(v, 64); err == nil {
			return "!!float"
		}
	case strings.IndexByte("yYnNtTfFoO~", c) >= 0:
		if special(v) != "" {
			return special(v)
		}
	}
	return "!!str"
}

// special is the tag of the words YAML gives a meaning (true, null, .inf, ...).
func special(v string) string {
	switch v {
	case "true", "True", "TRUE", "false", "False", "FALSE":
		return "!!bool"
	case "~", "null", "Null", "NULL":
		return "!!null"
	case ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF":
		return "!!float"
	}
	return ""
}

var yamlFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// number is the tag of a scalar that starts with a sign or a digit.
func number(v string) string {
	if isTimestamp(v) {
		return "!!timestamp"
	}
	if !numberChars(v) {
		// An address, a MAC, a version: no number of any base or form has these
		// characters, and trying each parse would cost an error value apiece.
		return "!!str"
	}
	plain := strings.ReplaceAll(v, "_", "")
	if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return "!!int"
	}
	if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return "!!int"
	}
	if yamlFloat.MatchString(plain) {
		if _, err := strconv.ParseFloat(plain, 64); err == nil {
			return "!!float"
		}
	}
	for _, p := range []struct {
		prefix string
		base   int
	}{{"0b", 2}, {"0o", 8}} {
		if digits, ok := strings.CutPrefix(plain, p.prefix); ok {
			if _, err := strconv.ParseInt(digits, p.base, 64); err == nil {
				return "!!int"
			}
			if _, err := strconv.ParseUint(digits, p.base, 64); err == nil {
				return "!!int"
			}
		} else if digits, ok := strings.CutPrefix(plain, "-"+p.prefix); ok {
			if _, err := strconv.ParseInt("-"+digits, p.base, 64); err == nil {
				return "!!int"
			}
		}
	}
	return "!!str"
}

// timestampLayouts are the forms go-yaml reads as a timestamp.
var timestampLayouts = []string{
	"2006-1-2T15:4:5.999999999Z07:00",
	"2006-1-2t15:4:5.999999999Z07:00",
	"2006-1-2 15:4:5.999999999",
	"2006-1-2",
}

func isTimestamp(v string) bool {
	i := 0
	for i < len(v) && v[i] >= '0' && v[i] <= '9' {
		i++
	}
	if i != 4 || i == len(v) || v[i] != '-' {
		return false
	}
	for _, layout := range timestampLayouts {
		if _, err := time.Parse(layout, v); err == nil {
			return true
		}
	}
	return false
}

// numberChars reports whether v has only characters a YAML number can have:
// digits, signs, '_', '.', exponents, the 0x/0o/0b prefixes and hex digits.
func numberChars(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F',
			c == '+', c == '-', c == '_', c == '.', c == 'x', c == 'X', c == 'o', c == 'O':
		default:
			return false
		}
	}
	return true
}
