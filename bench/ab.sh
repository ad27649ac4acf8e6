#!/usr/bin/env bash
# bench/ab.sh [-n RUNS] 'COMMAND A' 'COMMAND B'
#
# Compares two commands as whole processes: one untimed run of each, then RUNS pairs (default 5) in turn,
# A B A B ..., each timed by /usr/bin/time. Prints the medians of A's and B's wall time, CPU time (user +
# system) and peak RSS, and the ratios A/B taken pair by pair, as median (min-max): pairs run close
# together, so a ratio holds while the machine's speed drifts under other load, where seconds do not.
# Each command runs through bash -c, its output thrown away; a command that fails stops the comparison.
# BENCHMARKS.md quotes its figures for one change measured against the commit before it, for example
#   bench/ab.sh -n 5 '/tmp/new/stevedore run pull.yaml' '/tmp/old/stevedore run pull.yaml'
# with each playbook writing into a directory of its own that the command first removes.
set -euo pipefail

runs=5
if [[ "${1:-}" == -n ]]; then runs=$2; shift 2; fi
if (($# != 2)) || ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: bench/ab.sh [-n RUNS] 'COMMAND A' 'COMMAND B'" >&2
  exit 2
fi
command -v /usr/bin/time >/dev/null || { echo "ab: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# timed COMMAND -> "wall cpu rss_kb" of one run
timed() {
  if ! /usr/bin/time -f '%e %U %S %M' -o "$out/time" bash -c "$1" >/dev/null 2>&1; then
    echo "ab: the command failed: $1" >&2
    exit 1
  fi
  awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$out/time"
}

timed "$1" >/dev/null
timed "$2" >/dev/null
for _ in $(seq 1 "$runs"); do
  echo "$(timed "$1") $(timed "$2")"
done > "$out/pairs"

# column N -> that column of every pair, sorted; median and range of it
column() { awk -v n="$1" '{ print $n }' "$out/pairs" | sort -g; }
ratios() { awk -v a="$1" -v b="$2" '$b > 0 { printf "%.4f\n", $a / $b }' "$out/pairs" | sort -g; }
median() { awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
spread() { awk '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit } printf "%.2f (%.2f-%.2f)", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2, v[1], v[NR] }'; }

echo "A: $1"
echo "B: $2"
echo "pairs: $runs"
printf '%-10s %10s %10s   %s\n' "" A B "A/B median (range)"
printf '%-10s %10s %10s   %s\n' "wall s" "$(column 1 | median)" "$(column 4 | median)" "$(ratios 1 4 | spread)"
printf '%-10s %10s %10s   %s\n' "cpu s" "$(column 2 | median)" "$(column 5 | median)" "$(ratios 2 5 | spread)"
printf '%-10s %10s %10s   %s\n' "peak MB" "$(($(column 3 | median | cut -d. -f1) / 1024))" "$(($(column 6 | median | cut -d. -f1) / 1024))" \
  "$(ratios 3 6 | spread)"
