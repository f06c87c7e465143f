package resourcelist

import (
	"bytes"
	"strings"

	"github.com/kubevirt-networks/kubevirt-networks/internal/yamllex"
)

// scanHead reads apiVersion and kind from the item's top-level lines: for a list
// entry the first, after "- ", and those indented by two; for a document those at
// column 0. ok is false when the text does not say plainly (a quoted escape, a
// flow value, a value continued on the next line), and the item must be parsed.
func scanHead(raw []byte, entry bool) (apiVersion, kind string, ok bool) {
	indent := 0
	if entry {
		indent = 2
	}
	if !atIndent(raw, indent) {
		return "", "", false
	}
	for rest := raw; len(rest) > 0 && (apiVersion == "" || kind == ""); {
		var line []byte
		line, rest = yamllex.NextLine(rest)
		if _, open := yamllex.ScanLine(line); open {
			return "", "", false // a quoted or flow value goes on: the next lines are its text
		}
		if len(line) <= indent {
			continue
		}
		if entry && !yamllex.EntryLine(line) {
			continue
		}
		if c := line[indent]; c == ' ' || yamllex.CommentStart(c) || c == '\t' {
			continue
		}
		key, value, found := yamllex.MappingEntry(string(line[indent:]))
		if !found || (key != "apiVersion" && key != "kind") {
			continue
		}
		v, plain := plainValue(value)
		if !plain || continued(rest, indent) {
			return "", "", false
		}
		if key == "apiVersion" {
			apiVersion = v
		} else {
			kind = v
		}
	}
	return apiVersion, kind, apiVersion != "" && kind != ""
}

// atIndent reports whether the object's keys start at indent: the keys the scan
// reads are the object's own only if its first key is where the scan looks (a
// document indented as a whole, or an entry whose keys sit deeper, is parsed).
func atIndent(raw []byte, indent int) bool {
	dash := indent > 0 // a list entry: "- key" or a lone "-" with the keys below
	for rest := raw; len(rest) > 0; {
		var line []byte
		line, rest = yamllex.NextLine(rest)
		t := bytes.TrimLeft(line, " \t")
		if yamllex.BlankOrComment(t) {
			continue
		}
		if dash {
			if !yamllex.StartsDash(line) {
				return false
			}
			after := bytes.TrimLeft(line[1:], " ")
			if yamllex.BlankOrComment(after) {
				dash = false // the keys start on a later line
				continue
			}
			return len(line) > 2 && line[1] == ' ' && line[2] != ' ' && line[2] != '\t' && yamllex.KeyLine(line[2:])
		}
		return len(line)-len(t) == indent && bytes.IndexByte(line[:indent], '\t') < 0 && yamllex.KeyLine(t)
	}
	return false
}

// continued reports whether a top-level scalar goes on in the text that follows:
// the next line that is not blank is indented deeper than the item's keys.
func continued(rest []byte, indent int) bool {
	for len(rest) > 0 {
		var l []byte
		l, rest = yamllex.NextLine(rest)
		t := bytes.TrimLeft(l, " ")
		if len(t) == 0 {
			continue
		}
		return len(l)-len(t) > indent && !yamllex.Comment(t)
	}
	return false
}

// plainValue reads a scalar written plainly or quoted, without a trailing comment.
func plainValue(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if i := yamllex.LineCommentAt(v); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && yamllex.QuoteEnd(v, 0) == len(v)-1 {
		v = v[1 : len(v)-1]
		if strings.ContainsAny(v, `\'"`) {
			return "", false
		}
		return v, v != ""
	}
	if v == "" || strings.ContainsAny(v[:1], "#[{&*!|>%@`\"'?:-,") || strings.ContainsAny(v, "\t") {
		return "", false
	}
	return v, true
}
