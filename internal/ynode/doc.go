// Package ynode reads and edits YAML node trees in place. Every edit keeps the
// comments, key order and styles of everything it does not touch: the
// function must hand back objects it does not own exactly as they came.
package ynode
