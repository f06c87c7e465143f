// Package kbuild is `kubevirt-networks kustomize DIR`: the kustomize build an
// Argo CD plugin or a CI job runs, with the function applied after the build
// instead of through kustomize's exec plumbing (which serializes, parses and
// re-matches every object around an exec function, even a skipped one, and
// costs several times the build itself at fleet scale).
//
// kustomize (linked in, at the version go.mod pins) builds DIR itself, with the
// user's load restrictor, so it resolves every path and refuses what kustomize
// build DIR refuses, in the same words. The file system kustomize reads through
// (watchFS) sees every KRM function config of the tree: another function stops
// the build (Refusal), so a repository never runs a program on a shared repo
// server unless an admin allows it; the function's own config is replaced by
// builtin stand-ins at its place, which keep for it what kustomize would drop
// (local config, previous names) and which kustomize's record of each object's
// transformers shows (the root is read with that record asked for). From that
// record Decide says whether running the function after the build gives what
// running it inside would; where it might not, the tree is built again with
// the function inside, as this binary.
package kbuild
