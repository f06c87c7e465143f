#!/usr/bin/env bash
# Whole-process comparison: kubevirt-networks against a no-op function built on the
# same SDK version (bench/noop), run alternately on the same generated fleet, with
# wall time and peak RSS from GNU time. Prints the per-pair ratios and their medians.
#
#   scripts/bench.sh                 # 1,000 VMs x 7 pairs, 10,000 VMs x 5 pairs
#   scripts/bench.sh 10000 3         # one size, N pairs
#
# The generator is ../shared/bench/gen_vms.py (VMNetwork items, VMs with Multus
# annotations and secondary networks). Never asserted in tests: the machine is shared.
set -euo pipefail
cd "$(dirname "$0")/.."
gen=${GEN:-../shared/bench/gen_vms.py}
[ -f "$gen" ] || { echo "bench: the generator $gen is missing" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "bench: GNU time is missing (apt-get install time)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -trimpath -o "$work/kubevirt-networks" .
go build -trimpath -o "$work/noop" ./bench/noop

measure() { # binary input -> "wall_s peak_kib"
  /usr/bin/time -f '%e %M' -o "$work/time" "$1" < "$2" > "$work/out.yaml" 2> "$work/err.txt" || true
  cat "$work/time"
}

check_output() { # the function's output must be complete: every annotation converted, NADs derived
  local out=$work/check.yaml
  "$work/kubevirt-networks" < "$1" > "$out" 2>/dev/null || { echo "bench: the function failed on $1" >&2; exit 1; }
  python3 - "$1" "$out" <<'PY'
import re, sys
src, out = open(sys.argv[1]).read(), open(sys.argv[2]).read()
items = out.split("\nfunctionConfig:")[0]
vms = len(re.findall(r"^  kind: VirtualMachine$", src, re.M))
left = items.count("k8s.v1.cni.cncf.io/networks:")
nads = len(re.findall(r"^- apiVersion: k8s.cni.cncf.io/v1\n  kind: NetworkAttachmentDefinition$", items, re.M))
out_vms = len(re.findall(r"^  kind: VirtualMachine$", items, re.M))
wanted = set()
for ns, body in re.findall(r"namespace: (tenant-\d+)\n(.*?)(?=\n- apiVersion|\Z)", src, re.S):
    for nad in re.findall(r"networkName: (\S+)", body):
        wanted.add((ns, nad))
print(f"output check: {out_vms}/{vms} VMs, {left} manual annotations left, {nads} NADs derived ({len(wanted)} (namespace, NAD) pairs used)")
if left or out_vms != vms or nads != len(wanted):
    sys.exit("bench: the output is incomplete")
PY
}

run_size() { # vms pairs
  local vms=$1 pairs=$2 input=$work/rl-$1.yaml
  python3 "$gen" --vms "$vms" --out "$input"
  echo "== $vms VMs ($(wc -c < "$input") bytes), $pairs pairs after one warm-up each"
  check_output "$input"
  measure "$work/noop" "$input" >/dev/null
  measure "$work/kubevirt-networks" "$input" >/dev/null
  : > "$work/pairs"
  for i in $(seq "$pairs"); do
    read -r nw nm < <(measure "$work/noop" "$input")
    read -r kw km < <(measure "$work/kubevirt-networks" "$input")
    echo "$nw $nm $kw $km" >> "$work/pairs"
  done
  python3 - "$work/pairs" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
print(f"{'pair':>4} {'noop s':>8} {'noop MiB':>9} {'fn s':>7} {'fn MiB':>7} {'wall ratio':>10} {'RSS ratio':>9}")
for i, (nw, nm, kw, km) in enumerate(rows, 1):
    print(f"{i:>4} {nw:8.2f} {nm/1024:9.0f} {kw:7.2f} {km/1024:7.1f} {kw/nw:10.3f} {km/nm:9.3f}")
med = lambda xs: statistics.median(xs)
print(f"median wall ratio {med([k/n for n, _, k, _ in rows]):.3f} (target <= 0.5), "
      f"median peak-RSS ratio {med([k/n for _, n, _, k in rows]):.3f} (target <= 0.1)")
PY
}

if [ $# -ge 1 ]; then
  run_size "$1" "${2:-5}"
else
  run_size 1000 7
  run_size 10000 5
fi
