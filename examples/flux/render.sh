#!/usr/bin/env bash
# Renders what Flux applies (the rendered-manifests pattern): Flux's
# kustomize-controller runs no KRM functions, so CI (or a pre-commit hook) runs
# the function and commits its output; Flux points at rendered/. Run it, then
# `git diff --exit-code examples/flux/rendered` fails the build when the
# committed rendering is stale. Needs kubevirt-networks and kustomize on PATH.
set -euo pipefail
cd "$(dirname "$0")"
kubevirt-networks kustomize app > rendered/vms.yaml
