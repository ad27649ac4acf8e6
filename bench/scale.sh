#!/usr/bin/env bash
# The scale run: one task pulling N small images, its no-op re-run, and one task pushing them all to a second
# registry, each timed with /usr/bin/time -v (wall, user + system CPU, peak RSS) on the launcher's default heap.
#   bench/scale.sh [N...]        (default: 1000 2500 5000)
# Images have W2's shape (bench/run.sh: one platform, several layers of pseudo-random bytes, nothing shared)
# with smaller layers, so that the per-image work, not the bytes, is what grows: SCALE_LAYERS layers (2) of
# SCALE_LAYER_BYTES bytes (4096) each. The largest N is generated and seeded once (untimed); each N pulls the
# first N of them into an images directory of its own and pushes that to a fresh registry. SCALE_STORE=oci-layout
# pulls into an OCI image layout instead (and pushes from it).
# Everything happens on 127.0.0.1 with registries this script starts and stops (by PID), on ports from
# SCALE_PORTS (20000-32000), under bench/work-scale/ (removed at the start). Prints a Markdown table.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
work="$here/work-scale"
counts=("$@")
((${#counts[@]})) || counts=(1000 2500 5000)
layers=${SCALE_LAYERS:-2}
layer_bytes=${SCALE_LAYER_BYTES:-4096}
ports=${SCALE_PORTS:-20000-32000}
store=${SCALE_STORE:-local}
[[ "$store" == local || "$store" == oci-layout ]] || { echo "scale: SCALE_STORE is local or oci-layout, not $store" >&2; exit 1; }

for tool in docker-registry /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "scale: missing $tool (apt-get install docker-registry time)" >&2; exit 1; }
done
for n in "${counts[@]}"; do [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "scale: $n is not an image count" >&2; exit 1; }; done
max=$(printf '%s\n' "${counts[@]}" | sort -n | tail -1)

rm -rf "$work"; mkdir -p "$work"
# Outside the timings: build the jar if needed; the runtime the launcher chose, for the results.
runtime=$("$root/stevedore" --version | sed -n 's/^runtime: //p')

cleanup() { local f; for f in "$work"/*.pid; do [[ ! -f "$f" ]] || stop_server "$(basename "$f" .pid)"; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# start_registry NAME -> prints host:port; its PID is in $work/NAME.pid (as bench/run.sh's)
start_registry() {
  local name=$1 port pid
  for _ in $(seq 1 20); do
    while :; do port=$(shuf -i "$ports" -n 1); port_free "$port" && break; done
    rm -rf "${work:?}/$name"; mkdir -p "$work/$name"
    printf 'version: 0.1\nlog: {level: error}\nstorage:\n  filesystem: {rootdirectory: %s}\nhttp:\n  addr: 127.0.0.1:%s\n' \
      "$work/$name/storage" "$port" > "$work/$name/config.yml"
    docker-registry serve "$work/$name/config.yml" >"$work/$name/log" 2>&1 &
    pid=$!; echo "$pid" > "$work/$name.pid"
    for _ in $(seq 1 100); do port_free "$port" || { echo "127.0.0.1:$port"; return; }; alive "$pid" || break; sleep 0.05; done
    stop_server "$name"
  done
  echo "scale: the registry $name did not start; see $work/$name/log" >&2
  return 1
}
stop_server() {
  local pid; pid=$(cat "$work/$1.pid"); rm -f "$work/$1.pid"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.05; done
}
alive() { [[ ! "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null || echo gone)" =~ ^(gone|Z)$ ]]; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

pull_playbook() { # FILE SRC IMAGES_DIR COUNT
  local file=$1 src=$2 dir=$3 n=$4 i
  { echo "- hosts: localhost"; echo "  tasks:"; echo "    - image:"; echo "        pull:"
    echo "          images_dir: $dir"; echo "          auths: [{repo: \"$src\", plain_http: true}]"; echo "          manifests:"
    for ((i = 0; i < n; i++)); do echo "            - $src/bench/img$i:img$i"; done; } > "$file"
}
push_playbook() { # FILE DEST IMAGES_DIR
  { echo "- hosts: localhost"; echo "  tasks:"; echo "    - image:"; echo "        push:"
    echo "          images_dir: $3"; echo "          auths: [{repo: \"$2\", plain_http: true}]"
    echo "          dest: \"$2/\${module.image.src.reference.repository}:\${module.image.src.reference.reference}\""; } > "$1"
}

results="$work/results.md"
echo "| images | operation | wall s | CPU s (user + sys) | peak RSS MB | wall s per 1,000 images | CPU s per 1,000 images | registry CPU s |" > "$results"
echo "|---|---|---|---|---|---|---|---|" >> "$results"
# cpu_of PID: the CPU time (user + system, in seconds) a process has used so far
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
# timed N OPERATION REGISTRY LOG COMMAND...: runs COMMAND under /usr/bin/time -v and adds a row, with the CPU
# the registry REGISTRY (the one the operation reads from or writes to) spent meanwhile; a failure stops the run
timed() {
  local n=$1 op=$2 registry=$3 log=$4; shift 4
  local s wall cpu rss rpid r0 reg
  rpid=$(cat "$work/$registry.pid"); r0=$(cpu_of "$rpid")
  sync
  s=$(now)
  if ! /usr/bin/time -v -o "$log.time" "$@" >"$log" 2>&1; then
    echo "scale: $op of $n images failed; see $log and $log.time" >&2
    tail -5 "$log" >&2
    return 1
  fi
  wall=$(elapsed "$s" "$(now)")
  cpu=$(awk -F': ' '/User time|System time/ { t += $2 } END { printf "%.2f", t }' "$log.time")
  rss=$(awk -F': ' '/Maximum resident/ { printf "%d", $2 / 1024 }' "$log.time")
  reg=$(awk -v a="$r0" -v b="$(cpu_of "$rpid")" 'BEGIN { printf "%.2f", b - a }')
  echo "   $n images, $op: $wall s, CPU $cpu s, peak RSS $rss MB, registry CPU $reg s" >&2
  echo "| $n | $op | $wall | $cpu | $rss | $(awk -v w="$wall" -v n="$n" 'BEGIN { printf "%.2f", w * 1000 / n }')" \
    "| $(awk -v c="$cpu" -v n="$n" 'BEGIN { printf "%.2f", c * 1000 / n }') | $reg |" >> "$results"
}

echo "== generating $max images x $layers layers x $layer_bytes bytes" >&2
gen="$work/gen"
java "$here/GenerateImages.java" "$gen" "$max" 1 "$layers" "$layer_bytes" false > "$work/tags.txt"
src=$(start_registry src)
# Seeding is not timed, and skopeo takes 0.15 s an image: Stevedore itself pushes them, from an images directory
# made of hard links to the generated layout's files (LayoutToImagesDir.java).
echo "== seeding $max images into $src (untimed; by Stevedore from an images directory)" >&2
s=$(now)
seed="$work/seed"
java "$here/LayoutToImagesDir.java" "$gen" "$seed" seed.invalid >/dev/null
push_playbook "$work/seed.yaml" "$src" "$seed"
"$root/stevedore" run "$work/seed.yaml" >"$work/seed.log" 2>&1 || { echo "scale: seeding failed; see $work/seed.log" >&2; exit 1; }
rm -rf "$seed"
echo "   seeded in $(elapsed "$s" "$(now)") s" >&2
# The launcher's first run after a build records its class-data-sharing archive (JDK 17) or ahead-of-time cache
# (JDK 25), and the seeding push of every image was that run: drop both, so that one untimed pull of an image
# records it, as bench/run.sh's and a newcomer's do (a cache trained by a long run cost a short one CPU: BENCHMARKS.md).
rm -f "$root/src/target/stevedore.jsa" "$root/src/target/stevedore.aot"
pull_playbook "$work/warmup.yaml" "$src" "$work/warmup" 1
"$root/stevedore" run "$work/warmup.yaml" >"$work/warmup.log" 2>&1
rm -rf "$work/warmup"

for n in "${counts[@]}"; do
  echo "== $n images" >&2
  dir="$work/images-$n"
  pull_playbook "$work/pull-$n.yaml" "$src" "$store://$dir" "$n"
  timed "$n" pull src "$work/pull-$n.log" "$root/stevedore" run "$work/pull-$n.yaml"
  timed "$n" "no-op pull" src "$work/noop-$n.log" "$root/stevedore" run "$work/pull-$n.yaml"
  dst=$(start_registry "dst-$n")
  push_playbook "$work/push-$n.yaml" "$dst" "$store://$dir"
  timed "$n" push "dst-$n" "$work/push-$n.log" "$root/stevedore" run "$work/push-$n.yaml"
  stop_server "dst-$n"
  rm -rf "${work:?}/dst-$n" "$dir"
done
stop_server src

echo
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB; $(date -u +%Y-%m-%d); Stevedore on $runtime;" \
  "images of $layers layers x $layer_bytes bytes, pulled into $store://; the launcher's default heap"
cat "$results"
