// Package kbuild is `kubevirt-networks kustomize DIR`: the kustomize build an
// Argo CD plugin or a CI job runs, with the function's transformer applied
// after the build instead of through kustomize's exec plumbing (which
// serializes, parses and re-matches every object around an exec function and
// costs several times the build itself at fleet scale).
//
// kustomize (linked in, at the version go.mod pins) resolves every path of the
// tree: the build's root is a temporary kustomization whose one resource is
// DIR, with the user's load restrictor, so a file kustomize build DIR refuses
// is refused here in the same words. Exec functions are off, so the function's
// own transformer is skipped; the file system kustomize reads through sees every
// KRM function config the tree has, points the function's own at this binary,
// and stops the build at any other (Refusal), so that a repository never runs a
// program on a shared repo server unless an admin allows it. kustomize's own
// record of each object's transformers says whether running the function after
// the build gives what running it inside would (Decide); where it might not,
// the tree is built again with the function inside, as this binary.
package kbuild
