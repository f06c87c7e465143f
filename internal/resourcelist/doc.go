// Package resourcelist reads the function's input and writes its output: a KRM
// ResourceList, or a plain multi-document YAML stream (what Helm post-renderers
// and kubectl pipes carry).
//
// Reading has two paths with one result. Input in the layout kpt and kustomize
// write (top-level keys at column 0, items as `- ` entries at column 0, no
// anchors, no comments at column 0 after the first key) is split into item texts
// line by line, without parsing the whole document: an item is parsed only when
// the function needs it, and an item the function does not change is written back
// from its own bytes. Anything else (JSON, flow style, indented lists, anchors and
// aliases, comments between items, document markers) is parsed as one document,
// as YAML defines it, and written from its own text too: unchanged items as
// their lines, edited ones spliced in (splice.go), new NADs after the last item.
// FuzzReaders checks that both paths read the same items, comments included.
// Aliases are indexed for a document read whole; an item or stream document with
// anchors of its own is indexed by the function when it is edited
// (Item.MayAlias).
//
// Items are written in input order (the SDK's ToYAML sorts them), as soon as every
// item before them is written, so a large package's items need not all be held
// until the end.
package resourcelist
