#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this). It installs what the
# tests need when missing: the pinned standalone kustomize (tools/go.mod), Helm 3
# and Helm 4 (tools/helm3, tools/helm4) and, as
# root, podman from Debian configured for this machine. kpt must be installed
# (see the README); with CI=true a missing tool fails its tests instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "tools"
if ! .cache/bin/kustomize version 2>/dev/null | grep -q '^v5\.8\.'; then
  echo "building the pinned kustomize into .cache/bin"
  go -C tools build -o ../.cache/bin/kustomize sigs.k8s.io/kustomize/kustomize/v5
fi
.cache/bin/kustomize version
# Helm 3 and Helm 4, each from its own tools module (their Kubernetes libraries
# differ), for the post-renderer tests.
for v in 3 4; do
  pinned=$(awk -v m="helm.sh/helm/v$v" '$1 == m { print $2 }' "tools/helm$v/go.mod")
  if ! .cache/bin/helm$v version --short 2>/dev/null | grep -qx "$pinned"; then
    echo "building the pinned Helm $pinned into .cache/bin/helm$v"
    go -C "tools/helm$v" build -o "../../.cache/bin/helm$v" \
      -ldflags "-X helm.sh/helm/v$v/internal/version.version=$pinned" "helm.sh/helm/v$v/cmd/helm"
  fi
  .cache/bin/helm$v version --short
done
if [ "$(id -u)" = 0 ]; then
  scripts/setup-podman.sh
elif ! command -v podman >/dev/null; then
  echo "podman is missing and installing it needs root: the image tests will skip (fail with CI=true)"
fi
command -v podman >/dev/null && podman --version
if command -v kpt >/dev/null; then
  echo "kpt $(kpt version)"
else
  echo "kpt is missing: install it (see the README); its tests will skip (fail with CI=true)"
fi

step "format and vet"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.cache/*'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
go vet ./...

step "tests: unit, golden, properties, hostile input, admission corpus, integration with kustomize, kpt, podman"
# A first run builds the container images (minutes on a loaded machine): more
# than go test's default 10 minutes.
go test -count=1 -timeout 30m ./...

step "fuzzing: each target for ${FUZZTIME:=20s}, at no fewer than 100 inputs a second"
FUZZTIME=$FUZZTIME scripts/fuzz.sh
