// Package resourcelist reads the function's input and writes its output: a KRM
// ResourceList, or a plain multi-document YAML stream (what Helm post-renderers
// and kubectl pipes carry).
//
// Each form has its reader and its writer:
//
//	form                               reader                     writer
//	ResourceList in kpt's layout       split.go (line by line)    write_kpt.go
//	ResourceList in any other layout   read_whole.go (one parse)  write_whole.go
//	stream of documents                stream.go                  write_stream.go
//	JSON (a document, a stream, a RL)  jsondoc.go                 jsondoc.go
//
// kpt's layout (top-level keys at column 0, items as `- ` entries at column 0,
// no anchors, no comments at column 0 after the first key) is split into item
// texts without parsing the whole document: an item is parsed only when the
// function needs it, and an item the function does not change is written back
// from its own bytes. Anything else is parsed as one document, as YAML defines
// it, and written from its own text too: unchanged items as their lines, edited
// ones spliced in (splice.go, seqsplice.go), new NADs after the last item.
// FuzzReaders checks that both paths read the same items, comments included.
// Aliases are indexed for a document read whole; an item or stream document with
// anchors of its own is indexed by the function when it is edited
// (Item.MayAlias).
//
// Every byte-level test of YAML's line syntax (line breaks as go-yaml counts
// them, indentation, comment, dash and marker lines, block-scalar headers, the
// split's line scan) is in the lexer, internal/yamllex, which fastyaml shares,
// and which restores the input's CRLF and CR breaks on the output (TeeBreaks).
//
// Items are written in input order (the SDK's ToYAML sorts them), as soon as every
// item before them is written, so a large package's items need not all be held
// until the end.
package resourcelist
