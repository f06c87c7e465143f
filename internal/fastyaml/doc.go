// Package fastyaml parses the block-style YAML that kpt, kustomize and kubectl
// write (block mappings and sequences, one-line scalars, literal block scalars,
// one-line flow collections) into the same yaml.Node tree go-yaml builds, node for
// node: kind, style, tag, value, line and column. Anything else it declines
// (comments, anchors, tags, multi-line plain or quoted scalars, folded scalars,
// tabs, non-ASCII text, ...), and the caller parses with go-yaml instead.
//
// Encode writes such a tree back as go-yaml's encoder does (indent 2, compact
// sequences), declining what go-yaml decides by rules it does not follow.
//
// go-yaml spent most of a render parsing and writing VMs; Parse and Encode do the
// same in a tenth of the time. They are held to go-yaml by a differential fuzz
// target each (FuzzSameTree, FuzzSameText) and by every input the test suite has.
//
// The parser reads, and the writer writes:
//
//	apiVersion: v1        block mappings with plain keys
//	items:
//	- name: a             block sequences, compact or indented
//	  list: [1, two]      one-line flow collections of scalars
//	  text: |             literal block scalars (clip or strip)
//	    line
//	  quoted: 'it''s'      one-line quoted scalars (double quotes without escapes)
package fastyaml
