#!/usr/bin/env bash
# A git pre-commit hook for the rendered-manifests pattern: renders (render.sh,
# which replaces the rendering only after a successful render) and stops the
# commit when the rendering changed, so that it is reviewed and added.
# Install: ln -s ../../examples/flux/pre-commit.sh .git/hooks/pre-commit
set -euo pipefail
root=$(git rev-parse --show-toplevel)
bash "$root/examples/flux/render.sh"
if ! git -C "$root" diff --quiet -- examples/flux/rendered; then
  echo "pre-commit: examples/flux/rendered changed; review it, git add it, and commit again" >&2
  exit 1
fi
