#!/usr/bin/env bash
# Builds local stand-ins for the Dockerfile's base images, which no registry here
# serves: a Go builder (busybox-static + the installed Go toolchain) and a
# distroless-like final base (passwd with root, nobody and nonroot, CA
# certificates, nothing else). Users build with the real bases; tests pass these
# with --build-arg. Prints nothing; idempotent.
set -euo pipefail

GO_STANDIN=localhost/kubevirt-networks-go:standin
BASE_STANDIN=localhost/kubevirt-networks-static:standin
ARGOCD_STANDIN=localhost/kubevirt-networks-argocd-base:standin

exists() { podman image exists "$1"; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

passwd() {
  mkdir -p "$1/etc" "$1/tmp" "$1/home/nonroot"
  chmod 1777 "$1/tmp"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\nargocd:x:999:999:argocd:/home/argocd:/bin/sh\n' > "$1/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\nnonroot:x:65532:\nargocd:x:999:\n' > "$1/etc/group"
  mkdir -p "$1/etc/ssl/certs"
  cp /etc/ssl/certs/ca-certificates.crt "$1/etc/ssl/certs/"
}

if ! exists "$BASE_STANDIN"; then
  passwd "$root/base"
  tar -C "$root/base" -c . | podman import -q - "$BASE_STANDIN" >/dev/null
fi

if ! exists "$GO_STANDIN"; then
  goroot=$(go env GOROOT)
  passwd "$root/go"
  mkdir -p "$root/go/bin" "$root/go/usr/local" "$root/go/root" "$root/go/go"
  cp /bin/busybox "$root/go/bin/busybox"
  for c in $("$root/go/bin/busybox" --list); do [ -e "$root/go/bin/$c" ] || ln -s busybox "$root/go/bin/$c"; done
  cp -a "$goroot" "$root/go/usr/local/go"
  # Offline: the test mounts the host's module cache at /go/pkg/mod.
  tar -C "$root/go" -c . | podman import -q \
    --change 'ENV PATH=/usr/local/go/bin:/bin' \
    --change 'ENV GOPATH=/go' --change 'ENV GOMODCACHE=/go/pkg/mod' \
    --change 'ENV GOPROXY=off' --change 'ENV GOFLAGS=-mod=mod' --change 'ENV GOTOOLCHAIN=local' \
    --change 'ENV HOME=/root' \
    - "$GO_STANDIN" >/dev/null
fi

# Argo CD's image as far as the sidecar needs it: a shell, the argocd user, /tmp.
if ! exists "$ARGOCD_STANDIN"; then
  passwd "$root/argocd"
  mkdir -p "$root/argocd/bin" "$root/argocd/home/argocd/cmp-server/config" "$root/argocd/usr/local/bin"
  chown -R 999:999 "$root/argocd/home/argocd"
  cp /bin/busybox "$root/argocd/bin/busybox"
  for c in sh cat ls id env; do ln -s busybox "$root/argocd/bin/$c"; done
  tar -C "$root/argocd" -c . | podman import -q --change 'ENV PATH=/usr/local/bin:/bin' --change 'USER 999' - "$ARGOCD_STANDIN" >/dev/null
fi
