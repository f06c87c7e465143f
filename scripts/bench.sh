#!/usr/bin/env bash
# Whole-process benchmarks: kubevirt-networks against a no-op function built on the
# same SDK version (bench/noop), run alternately on the same generated fleet, with
# wall time and peak RSS from GNU time. Every mode checks the function's output is
# complete before it measures anything. Never asserted in tests: the machine is shared.
#
#   scripts/bench.sh                     # all of the below, as BENCHMARKS.md reports them
#   scripts/bench.sh first 10000 5       # first render of a fleet that needs fixing, 5 pairs
#   scripts/bench.sh steady 10000 5      # a render of the function's own output (nothing to fix)
#   scripts/bench.sh large 100000        # the function alone (the no-op cannot), first and steady
#   scripts/bench.sh hosts 1000 2        # kpt fn render and helm template, with and without
#                                        # the function
#   scripts/bench.sh pipeline 1000 3     # an Argo CD app: plain kustomize build against the
#                                        # shipped generate (kubevirt-networks kustomize) and
#                                        # kustomize with the exec transformer
#
# The fleets come from the repository's own generator, bench/genfleet
# (internal/fleet: VMNetwork items, VMs with Multus annotations and secondary
# networks, deterministic for a size and seed).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null || { echo "bench: GNU time is missing (apt-get install time)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -trimpath -o "$work/kubevirt-networks" .
go build -trimpath -o "$work/noop" ./bench/noop
go build -trimpath -o "$work/genfleet" ./bench/genfleet

measure() { # binary input -> "wall_s peak_kib"
  /usr/bin/time -f '%e %M' -o "$work/time" "$1" < "$2" > "$work/out.yaml" 2> "$work/err.txt" || true
  cat "$work/time"
}

generate() { # vms -> path of the generated fleet
  local input=$work/rl-$1.yaml
  [ -f "$input" ] || "$work/genfleet" --vms "$1" --out "$input"
  echo "$input"
}

check_first() { # input output: every VM out, every annotation converted, every NAD derived
  python3 - "$1" "$2" <<'PY'
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

check_steady() { # input output: the items come out byte for byte, no change reported
  python3 - "$1" "$2" <<'PY'
import re, sys
items = lambda s: re.split(r"\n(?:functionConfig|results):", s)[0]
src, out = open(sys.argv[1]).read(), open(sys.argv[2]).read()
same = items(src) == items(out)
changes = len(re.findall(r"^    source: change$", out, re.M))
print(f"output check: items unchanged: {same}, {changes} change results")
if not same or changes:
    sys.exit("bench: a render of the function's own output changed it")
PY
}

fix() { # input -> the function's output for it without its results: what kpt
  # writes back to the package, and what the next render reads
  local fixed=${1%.yaml}-fixed.yaml
  "$work/kubevirt-networks" < "$1" 2>/dev/null | awk '/^results:/ { exit } { print }' > "$fixed"
  grep -q '^functionConfig:' "$fixed" || { echo "bench: the function failed on $1" >&2; exit 1; }
  echo "$fixed"
}

report() { # pairs file, targets
  python3 - "$1" "$2" "$3" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
print(f"{'pair':>4} {'noop s':>8} {'noop MiB':>9} {'fn s':>7} {'fn MiB':>7} {'wall ratio':>10} {'RSS ratio':>9}")
for i, (nw, nm, kw, km) in enumerate(rows, 1):
    print(f"{i:>4} {nw:8.2f} {nm/1024:9.0f} {kw:7.2f} {km/1024:7.1f} {kw/nw:10.3f} {km/nm:9.3f}")
med = statistics.median
print(f"median wall ratio {med([k/n for n, _, k, _ in rows]):.3f} (target <= {sys.argv[2]}), "
      f"median peak-RSS ratio {med([k/n for _, n, _, k in rows]):.3f} (target <= {sys.argv[3]})")
PY
}

paired() { # mode vms pairs
  local mode=$1 vms=$2 pairs=$3 input
  input=$(generate "$vms")
  if [ "$mode" = steady ]; then
    input=$(fix "$input")
    "$work/kubevirt-networks" < "$input" > "$work/check.yaml" 2>/dev/null || true
    check_steady "$input" "$work/check.yaml"
  else
    "$work/kubevirt-networks" < "$input" > "$work/check.yaml" 2>/dev/null || true
    check_first "$input" "$work/check.yaml"
  fi
  echo "== $mode render, $vms VMs ($(wc -c < "$input") bytes), $pairs pairs after one warm-up each"
  measure "$work/noop" "$input" >/dev/null
  measure "$work/kubevirt-networks" "$input" >/dev/null
  : > "$work/pairs"
  for _ in $(seq "$pairs"); do
    read -r nw nm < <(measure "$work/noop" "$input")
    read -r kw km < <(measure "$work/kubevirt-networks" "$input")
    echo "$nw $nm $kw $km" >> "$work/pairs"
  done
  if [ "$mode" = steady ]; then report "$work/pairs" 0.2 0.05; else report "$work/pairs" 0.35 0.05; fi
}

large() { # vms: the function alone, first render then steady, peak RSS against 150 MiB
  local vms=$1 input fixed
  input=$(generate "$vms")
  echo "== $vms VMs ($(wc -c < "$input") bytes), the function alone"
  read -r w m < <(measure "$work/kubevirt-networks" "$input")
  cp "$work/out.yaml" "$work/large-out.yaml"
  check_first "$input" "$work/large-out.yaml"
  printf 'first render:  %6.2f s, peak RSS %6.1f MiB (target <= 150)\n' "$w" "$(echo "$m / 1024" | bc -l)"
  fixed=$work/large-fixed.yaml
  awk '/^results:/ { exit } { print }' "$work/large-out.yaml" > "$fixed"
  read -r w m < <(measure "$work/kubevirt-networks" "$fixed")
  check_steady "$fixed" "$work/out.yaml"
  printf 'steady render: %6.2f s, peak RSS %6.1f MiB (target <= 150)\n' "$w" "$(echo "$m / 1024" | bc -l)"
}

pipeline() { # vms pairs: an Argo CD app of the fleet, built three ways
  local vms=$1 pairs=$2 app=$work/app-$1 plain=$work/plain-$1
  "$work/genfleet" --vms "$vms" --pkg-dir "$app"
  mkdir -p "$plain"
  cp "$app"/*.yaml "$plain"/
  printf 'resources:\n- networks.yaml\n- vms.yaml\n' > "$plain/kustomization.yaml"
  printf 'resources:\n- networks.yaml\n- vms.yaml\ntransformers:\n- vm-networks.yaml\n' > "$app/kustomization.yaml"
  printf 'apiVersion: kubevirt-networks.io/v1alpha1\nkind: VMNetworks\nmetadata:\n  name: vm-networks\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: %s\nspec:\n  mode: fix\n' \
    "$work/kubevirt-networks" > "$app/vm-networks.yaml"
  local k=${KUSTOMIZE:-.cache/bin/kustomize}
  run3() { # which -> "wall_s peak_kib" (the output in $work/out.yaml)
    local ok=0
    case $1 in
      plain) /usr/bin/time -f '%e %M' -o "$work/time" "$k" build "$plain" > "$work/out.yaml" 2>"$work/err.txt" || ok=$? ;;
      fast) /usr/bin/time -f '%e %M' -o "$work/time" "$work/kubevirt-networks" kustomize "$app" > "$work/out.yaml" 2>"$work/err.txt" || ok=$? ;;
      exec) /usr/bin/time -f '%e %M' -o "$work/time" "$k" build "$app" --enable-alpha-plugins --enable-exec > "$work/out.yaml" 2>"$work/err.txt" || ok=$? ;;
    esac
    if [ "$ok" != 0 ]; then
      tail -5 "$work/err.txt" >&2
      echo "bench: the $1 build failed (exit $ok)" >&2
      exit 1
    fi
    cat "$work/time"
  }
  for how in fast exec; do # output check first: every VM, no manual annotation, NADs derived
    run3 "$how" > /dev/null
    python3 - "$work/out.yaml" "$vms" "$how" <<'PY'
import re, sys
out, vms, how = open(sys.argv[1]).read(), int(sys.argv[2]), sys.argv[3]
n_vms = len(re.findall(r"^kind: VirtualMachine$", out, re.M))
nads = len(re.findall(r"^kind: NetworkAttachmentDefinition$", out, re.M))
left = out.count("k8s.v1.cni.cncf.io/networks:")
print(f"output check ({how}): {n_vms}/{vms} VMs, {nads} NADs, {left} manual annotations left")
if n_vms != vms or nads == 0 or left:
    sys.exit("bench: the pipeline's output is incomplete")
PY
  done
  echo "== pipeline, $vms VMs: plain kustomize build, then kubevirt-networks kustomize (shipped), then kustomize with the exec transformer; $pairs rounds after a warm-up"
  for how in plain fast exec; do run3 "$how" > /dev/null; done
  : > "$work/pairs"
  for _ in $(seq "$pairs"); do
    read -r pw pm < <(run3 plain)
    read -r fw fm < <(run3 fast)
    read -r ew em < <(run3 exec)
    echo "$pw $pm $fw $fm $ew $em" >> "$work/pairs"
  done
  python3 - "$work/pairs" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
print(f"{'round':>5} {'plain s':>8} {'MiB':>6} {'fast s':>7} {'MiB':>6} {'exec s':>7} {'MiB':>6} {'fast/plain':>10} {'exec/plain':>10}")
for i, (pw, pm, fw, fm, ew, em) in enumerate(rows, 1):
    print(f"{i:>5} {pw:8.2f} {pm/1024:6.0f} {fw:7.2f} {fm/1024:6.0f} {ew:7.2f} {em/1024:6.0f} {fw/pw:10.2f} {ew/pw:10.2f}")
print(f"median fast/plain {statistics.median(r[2]/r[0] for r in rows):.2f} (target <= 1.25), exec/plain {statistics.median(r[4]/r[0] for r in rows):.2f}")
PY
}

hosts() { # vms rounds: the function's share of kpt fn render and helm template
  local vms=$1 rounds=$2 pkg=$work/pkg-$1 chart=$work/chart-$1
  "$work/genfleet" --vms "$vms" --pkg-dir "$pkg"
  mkdir -p "$chart/templates"
  cp "$pkg/networks.yaml" "$chart/templates/"
  # Helm refuses a chart file over 5 MiB: the VMs go in files of 1,000.
  awk -v dir="$chart/templates" 'BEGIN { n = 0; f = dir "/vms-0.yaml" }
    /^---$/ { n++; if (n % 1000 == 0) { close(f); f = dir "/vms-" n ".yaml"; next } }
    { print > f }' "$pkg/vms.yaml"
  printf 'apiVersion: v2\nname: fleet\nversion: 0.1.0\n' > "$chart/Chart.yaml"
  kptfile() { # function -> a Kptfile whose pipeline runs it
    printf 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: fleet\npipeline:\n  mutators:\n  - exec: %s\n' "$1"
  }
  once() { # label command... -> "label wall_s peak_mib"
    local label=$1; shift
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" > "$work/out.yaml" 2>"$work/err.txt" || { cat "$work/err.txt" >&2; echo "bench: $label failed" >&2; exit 1; }
    read -r w m < "$work/time"
    printf '%-44s %7.2f s %7.0f MiB\n' "$label" "$w" "$(echo "$m / 1024" | bc -l)"
  }
  kpt_render() { # function label
    rm -rf "$work/kpt" && cp -r "$pkg" "$work/kpt" && kptfile "$1" > "$work/kpt/Kptfile"
    once "$2" kpt fn render "$work/kpt" --allow-exec
  }
  echo "== kpt and Helm, $vms VMs, $rounds rounds (kpt: the package in files; Helm: the manifests as a chart)"
  for _ in $(seq "$rounds"); do
    kpt_render /bin/cat "kpt fn render, /bin/cat (kpt alone)"
    kpt_render "$work/kubevirt-networks" "kpt fn render, the function (exec)"
    once "helm3 template (Helm alone)" .cache/bin/helm3 template fleet "$chart"
    once "helm3 template --post-renderer the function" .cache/bin/helm3 template fleet "$chart" --post-renderer "$work/kubevirt-networks"
  done
}

case "${1:-all}" in
  first | steady) paired "$1" "${2:-10000}" "${3:-5}" ;;
  large) large "${2:-100000}" ;;
  pipeline) pipeline "${2:-1000}" "${3:-3}" ;;
  hosts) hosts "${2:-1000}" "${3:-2}" ;;
  all)
    paired first 1000 5
    paired first 10000 5
    paired steady 10000 5
    large 100000
    ;;
  *) echo "usage: scripts/bench.sh [first|steady N PAIRS | large N | pipeline N ROUNDS | hosts N ROUNDS]" >&2; exit 2 ;;
esac
