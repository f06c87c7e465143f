#!/usr/bin/env bash
# Installs the Helm 4 post-renderer plugin so that Helm 3 on the same machine
# keeps working. Helm 3 and Helm 4 read plugins from the same folder by default
# ($HELM_DATA_HOME/plugins), and Helm 3 refuses a Helm 4 plugin.yaml ("unknown
# field apiVersion"), after which every Helm 3 plugin command fails. So Helm 4
# gets a data home of its own; run Helm 4 with the same HELM_DATA_HOME, e.g.
#   alias helm4='HELM_DATA_HOME=$HOME/.local/share/helm4 helm4'
# Usage: install-helm4-plugin.sh [HELM4_BINARY]   (default: helm)
set -euo pipefail
helm4=${1:-helm}
data=${HELM4_DATA_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/helm4}
case "$("$helm4" version --short 2>/dev/null)" in
  v4.*) ;;
  *) echo "install-helm4-plugin: $helm4 is not Helm 4; Helm 3 takes the binary itself (--post-renderer kubevirt-networks)" >&2; exit 2 ;;
esac
mkdir -p "$data"
HELM_DATA_HOME=$data "$helm4" plugin install "$(cd "$(dirname "$0")" && pwd)/plugin"
echo "installed for Helm 4 under $data; run Helm 4 with HELM_DATA_HOME=$data"
