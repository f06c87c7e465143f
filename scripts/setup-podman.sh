#!/usr/bin/env bash
# Installs podman from Debian and configures it the way it runs on these machines:
# runc, the cgroupfs cgroup manager, and lowered default ulimits. Idempotent.
set -euo pipefail

need=()
command -v podman >/dev/null || need+=(podman)
command -v runc >/dev/null || need+=(runc)
[ -x /bin/busybox ] || need+=(busybox-static)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup-podman: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

conf=/etc/containers/containers.conf
if ! grep -qs 'cgroup_manager = "cgroupfs"' "$conf"; then
  mkdir -p /etc/containers
  cat > "$conf" <<'CONF'
# Written by kubevirt-networks' scripts/setup-podman.sh.
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1000:1000"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
fi
