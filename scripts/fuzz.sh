#!/usr/bin/env bash
# Runs each fuzz target for FUZZTIME (default 20s), as CI does, prints the rate it
# explored at, and fails when a target finds a problem or runs fewer than MIN_RATE
# (default 100) inputs a second: coverage-guided fuzzing with large seeds can spend
# its whole budget minimizing and still print PASS. An input a target fails on is
# saved under that package's testdata/fuzz/<target>: commit it as a regression test.
#
#   scripts/fuzz.sh                      # every target, 20 s each
#   FUZZTIME=10m scripts/fuzz.sh FuzzRun # one target, longer
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-20s}
MIN_RATE=${MIN_RATE:-100}
targets=(./internal/resourcelist:FuzzReaders ./internal/resourcelist:FuzzTextForms ./internal/yamllex:FuzzLexer ./internal/fastyaml:FuzzSameTree ./internal/fastyaml:FuzzSameText ./fn/multus:FuzzParse ./fn/config:FuzzLoad ./fn:FuzzRun ./fn:FuzzSurgical)
only=${1:-}

# Each run starts from the seeds and the committed regression inputs: a corpus a
# long local run left in Go's cache can take more than the whole budget just to
# replay ("gathering baseline coverage"), and CI must measure what CI explores.
go clean -fuzzcache

log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in "${targets[@]}"; do
  pkg=${t%%:*} name=${t##*:}
  [ -n "$only" ] && [ "$only" != "$name" ] && continue
  if ! go test "$pkg" -run '^$' -fuzz "^$name\$" -fuzztime "$FUZZTIME" -fuzzminimizetime 1s > "$log" 2>&1; then
    cat "$log"
    echo "fuzz: $name found a problem (its input is saved under $pkg/testdata/fuzz/$name)" >&2
    exit 1
  fi
  # The last progress line: "fuzz: elapsed: 1m2s, execs: 123456 (2000/sec), ..."
  awk -v name="$name" -v min="$MIN_RATE" '
    function seconds(d,   s, n) {
      s = 0
      while (match(d, /^[0-9.]+[hms]/)) {
        n = substr(d, 1, RLENGTH - 1) + 0
        u = substr(d, RLENGTH, 1)
        s += (u == "h") ? n * 3600 : (u == "m") ? n * 60 : n
        d = substr(d, RLENGTH + 1)
      }
      return s
    }
    /elapsed: .*execs: / {
      match($0, /elapsed: [0-9hms.]+/); el = seconds(substr($0, RSTART + 9, RLENGTH - 9))
      match($0, /execs: [0-9]+/); ex = substr($0, RSTART + 7, RLENGTH - 7) + 0
    }
    END {
      if (el == 0) { printf "fuzz: %s printed no progress\n", name; exit 1 }
      rate = ex / el
      printf "fuzz: %-12s %9d inputs in %4ds: %6.0f/s (at least %d/s)\n", name, ex, el, rate, min
      if (rate < min) { printf "fuzz: %s explored too slowly: keep its seeds small\n", name; exit 1 }
    }' "$log"
done
