#!/usr/bin/env bash
# Builds the release binary for one architecture, as the release workflow does:
#   scripts/release-build.sh VERSION GOARCH [OUTDIR]
# The version is written into the binary (kubevirt-networks --version prints it).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$1 arch=$2 out=${3:-dist}
case "$version" in v[0-9]*.[0-9]*.[0-9]*) ;; *) echo "release-build: $version is not a vX.Y.Z tag" >&2; exit 2 ;; esac
mkdir -p "$out"
CGO_ENABLED=0 GOOS=linux GOARCH=$arch go build -trimpath -buildvcs=false \
  -ldflags "-s -w -X main.version=$version" -o "$out/kubevirt-networks-linux-$arch" .
(cd "$out" && sha256sum "kubevirt-networks-linux-$arch" > "kubevirt-networks-linux-$arch.sha256")
