#!/usr/bin/env bash
# Renders what Flux applies (the rendered-manifests pattern): Flux's
# kustomize-controller runs no KRM functions, so CI (or the pre-commit hook
# beside this script) runs the function and commits its output; Flux points at
# rendered/. Run it, then `git diff --exit-code examples/flux/rendered` fails the
# build when the committed rendering is stale. Needs kubevirt-networks on PATH.
#
# The render goes to a temporary file beside the rendering and replaces it only
# when it succeeded: a failed render (a broken app, a refused fix) leaves the
# committed manifests exactly as they were, never an empty file Flux would prune
# every VM and NAD for.
set -euo pipefail
cd "$(dirname "$0")"
out=rendered/vms.yaml
tmp=$(mktemp rendered/.vms.yaml.XXXXXX)
trap 'rm -f "$tmp"' EXIT
kubevirt-networks kustomize app > "$tmp"
chmod 644 "$tmp"
mv -f "$tmp" "$out"
trap - EXIT
