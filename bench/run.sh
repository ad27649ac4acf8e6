#!/usr/bin/env bash
# Benchmarks Stevedore against skopeo on the same data, in one run; each run starts with another client.
#   bench/run.sh [W1] [W2] [W3] [W4] [W1-WAN] [W2-WAN] [W1-BUNDLE] [W1-BUNDLE-WAN]  (default: all; RUNS=3 by default)
# W4 is W1 over HTTPS: the registries most operators pull from and push to, and the TLS cost of each tool.
# W1-WAN and W2-WAN are W1 and W2 through a simulated wide-area link (test-support's LinkSimulator) of
# WAN_RTT_MS round trip (50) and WAN_MBIT Mbit/s each way (200), as operators pull from the internet and
# push over a site's network; they also print the physical floor of each operation and both ratios.
# W1-BUNDLE is W1 pulled into and pushed from a bundle archive (one tar file) beside an images directory, and
# both verified (stevedore verify), against the JVM's SHA-256 over the same blobs; W1-BUNDLE-WAN the same through
# the link (verify stays local); W3 also pulls into an archive.
# Everything happens on 127.0.0.1 with registries this script starts and stops (by PID), under
# bench/work/ (removed at the start of each run). Prints a Markdown table for BENCHMARKS.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
work="$here/work"
runs=${RUNS:-3}
workloads=("$@")
((${#workloads[@]})) || workloads=(W1 W2 W3 W4 W1-WAN W2-WAN W1-BUNDLE W1-BUNDLE-WAN)
wan_rtt_ms=${WAN_RTT_MS:-50}
wan_mbit=${WAN_MBIT:-200}

for tool in docker-registry skopeo /usr/bin/time sha256sum openssl; do
  command -v "$tool" >/dev/null || { echo "bench: missing $tool (apt-get install docker-registry skopeo time openssl)" >&2; exit 1; }
done

rm -rf "$work"; mkdir -p "$work/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$work/tls/key.pem" -out "$work/tls/cert.pem" 2>/dev/null
# Outside the timings: build the jar and drop the launcher's class-data-sharing archive, so that the first
# workload's untimed pull below records it, as a newcomer's first run (the demo's pull) does.
# The runtime the launcher chose, which the reference client below runs on too.
runtime=$("$root/stevedore" --version | sed -n 's/^runtime: Java [^,]*, //p')
rm -f "$root/src/target/stevedore.jsa" "$root/src/target/stevedore.aot"
# The reference client (MinimalClient.java: the same transfers on the JDK's HTTP client and nothing else),
# compiled once and run on the launcher's runtime with the launcher's JVM settings, which must still be the
# launcher's (not its class-data or AOT cache, which are Stevedore's classes).
minimal_jvm=(-XX:+UseSerialGC -Xmx160m -XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=20000
  -XX:Tier4CompileThreshold=60000 -XX:CompileCommand=quiet -XX:CompileCommand=CompileThresholdScaling,com.sun.crypto.provider.*::*,0.01
  -Djdk.httpclient.bufsize=65536)
for option in "${minimal_jvm[@]}"; do
  grep -qF -- "$option" "$root/stevedore" || { echo "bench: the launcher no longer sets $option; update minimal_jvm" >&2; exit 1; }
done
mkdir -p "$work/minimal"; javac --release 17 -d "$work/minimal" "$here/MinimalClient.java"
minimal=("$runtime/bin/java" "${minimal_jvm[@]}" -cp "$work/minimal" MinimalClient)
echo "== runtime: $runtime" >&2
# The link simulator, compiled once from test-support's sources (it needs nothing but the JDK).
mkdir -p "$work/link"
javac -d "$work/link" -sourcepath "$root/test-support/src/main/java" \
  "$root/test-support/src/main/java/dev/stevedore/testsupport/LinkSimulator.java"

# Registries and links are started inside $(...), a subshell, so their PIDs are kept in files, not in a variable.
cleanup() { local f; for f in "$work"/*.pid; do [[ ! -f "$f" ]] || stop_server "$(basename "$f" .pid)"; done; }
# Interrupted, stop there (a trap that only cleaned up would let the script go on with the next step).
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# start_registry NAME [tls] -> prints host:port; its PID is in $work/NAME.pid. With tls, it serves HTTPS
# with the certificate made below (both tools skip verifying it, so neither pays for a different check).
start_registry() {
  local name=$1 tls=${2:-} port pid
  for _ in $(seq 1 20); do
    # Below Linux's ephemeral range (32768 and up), so no client connection of this run holds the port.
    while :; do port=$(shuf -i 20000-32000 -n 1); port_free "$port" && break; done
    rm -rf "${work:?}/$name"; mkdir -p "$work/$name"
    printf 'version: 0.1\nlog: {level: error}\nstorage:\n  filesystem: {rootdirectory: %s}\nhttp:\n  addr: 127.0.0.1:%s\n' \
      "$work/$name/storage" "$port" > "$work/$name/config.yml"
    [[ -z "$tls" ]] || printf '  tls: {certificate: %s, key: %s}\n' "$work/tls/cert.pem" "$work/tls/key.pem" >> "$work/$name/config.yml"
    docker-registry serve "$work/$name/config.yml" >"$work/$name/log" 2>&1 &
    pid=$!; echo "$pid" > "$work/$name.pid"
    for _ in $(seq 1 100); do port_free "$port" || { echo "127.0.0.1:$port"; return; }; alive "$pid" || break; sleep 0.05; done
    stop_server "$name" # it did not come up (the port was taken after all): another port
  done
  echo "bench: the registry $name did not start; see $work/$name/log" >&2
  return 1
}
# start_link NAME UPSTREAM -> prints host:port of a simulated wide-area link in front of UPSTREAM (a registry's
# host:port), on a port chosen as the registries' are; its PID is in $work/NAME.pid, and its log, $work/NAME.log,
# ends with what crossed it (connections, bytes each way) once it is stopped.
start_link() {
  local name=$1 upstream=$2 port pid
  for _ in $(seq 1 20); do
    while :; do port=$(shuf -i 20000-32000 -n 1); port_free "$port" && break; done
    java -XX:+UseSerialGC -Xmx256m -cp "$work/link" dev.stevedore.testsupport.LinkSimulator \
      "$port" "$upstream" "$wan_rtt_ms" "$wan_mbit" >"$work/$name.log" 2>&1 &
    pid=$!; echo "$pid" > "$work/$name.pid"
    for _ in $(seq 1 200); do port_free "$port" || { echo "127.0.0.1:$port"; return; }; alive "$pid" || break; sleep 0.05; done
    stop_server "$name"
  done
  echo "bench: the link $name did not start; see $work/$name.log" >&2
  return 1
}
stop_server() { # NAME: stops the registry or link by the PID it was started with
  local pid; pid=$(cat "$work/$1.pid"); rm -f "$work/$1.pid"
  kill "$pid" 2>/dev/null || true
  # Its parent was a subshell, so it cannot be waited for: poll until it is gone, for 5 s at most.
  for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.05; done
}
# alive PID: running, not exited (an exited child of a subshell stays a zombie until reaped)
alive() { [[ ! "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null || echo gone)" =~ ^(gone|Z)$ ]]; }

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
median() { tr ' ' '\n' | { grep -v '^$' || true; } | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# The registry's access: plain HTTP, or HTTPS with a certificate nobody verifies ($tls set by the workload).
access() { if [[ -n "${tls:-}" ]]; then echo "insecure: true"; else echo "plain_http: true"; fi; }
pull_playbook() { # FILE SRC IMAGES_DIR TAGS...
  local file=$1 src=$2 dir=$3; shift 3
  { echo "- hosts: localhost"; echo "  tasks:"; echo "    - image:"; echo "        pull:"
    echo "          images_dir: $dir"; echo "          auths: [{repo: \"$src\", $(access)}]"; echo "          manifests:"
    for t in "$@"; do echo "            - $src/bench/$t:$t"; done; } > "$file"
}
push_playbook() { # FILE DEST IMAGES_DIR
  { echo "- hosts: localhost"; echo "  tasks:"; echo "    - image:"; echo "        push:"
    echo "          images_dir: $3"; echo "          auths: [{repo: \"$2\", $(access)}]"
    echo "          dest: \"$2/\${module.image.src.reference.repository}:\${module.image.src.reference.reference}\""; } > "$1"
}

# cpu_of PID: the CPU time (user + system, in seconds) a process has used so far
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
# measure OUT REGISTRY LOG COMMAND...: runs COMMAND (output to LOG) and appends to the arrays OUT_wall,
# OUT_cpu, OUT_sys and OUT_reg its wall time, its CPU time and the system (kernel) part of it (its child
# processes included, so all of a skopeo loop), and the CPU time the registry REGISTRY spent meanwhile:
# the share of the registry's work that client causes.
measure() {
  local -n wall_=$1_wall cpu_=$1_cpu sys_=$1_sys reg_=$1_reg
  local registry=$2 log=$3; shift 3
  local rpid="" r0 s
  if [[ "$registry" != - ]]; then rpid=$(cat "$work/$registry.pid"); r0=$(cpu_of "$rpid"); fi
  sync # what the previous client wrote goes to disk now, not during this one's timing
  s=$(now)
  /usr/bin/time -f "%U %S" -o "$work/time.out" "$@" >"$log" 2>&1
  wall_+=("$(elapsed "$s" "$(now)")")
  cpu_+=("$(awk '{ printf "%.2f", $1 + $2 }' "$work/time.out")")
  sys_+=("$(awk '{ printf "%.2f", $2 }' "$work/time.out")")
  [[ -z "$rpid" ]] || reg_+=("$(awk -v a="$r0" -v b="$(cpu_of "$rpid")" 'BEGIN { printf "%.2f", b - a }')")
}
skopeo_pulls() { local src=$1 dir=$2; shift 2; for t in "$@"; do skopeo copy -q --all --src-tls-verify=false "docker://$src/bench/$t:$t" "oci:$dir:$t"; done; }
skopeo_pushes() { local dir=$1 dst=$2; shift 2; for t in "$@"; do skopeo copy -q --all --dest-tls-verify=false "oci:$dir:$t" "docker://$dst/bench/$t:$t"; done; }
export -f skopeo_pulls skopeo_pushes

results="$work/results.md"
echo "| workload | operation | Stevedore median s | skopeo median s | ratio Stevedore/skopeo | Stevedore CPU s (system) | skopeo CPU s (system) | registry CPU s: Stevedore / skopeo | runs |" > "$results"
echo "|---|---|---|---|---|---|---|---|---|" >> "$results"

# row WORKLOAD OPERATION A [B]: a table row of medians; A and B name measure's arrays (B: skopeo)
row() {
  local -n aw=$3_wall ac=$3_cpu as=$3_sys ar=$3_reg
  local a b="" ratio_="" bcpu="" reg
  a=$(echo "${aw[*]}" | median); reg=""
  if ((${#ar[@]})); then reg=$(echo "${ar[*]}" | median); fi
  if [[ -n "${4:-}" ]]; then
    local -n bw=$4_wall bc=$4_cpu bs=$4_sys br=$4_reg
    b=$(echo "${bw[*]}" | median); ratio_=$(ratio "$a" "$b"); bcpu="$(echo "${bc[*]}" | median) ($(echo "${bs[*]}" | median))"
    reg="$reg / $(echo "${br[*]}" | median)"
  fi
  echo "| $1 | $2 | $a | $b | $ratio_ | $(echo "${ac[*]}" | median) ($(echo "${as[*]}" | median)) | $bcpu | $reg | ${#aw[@]} |" >> "$results"
}

# reach NAME HOST:PORT -> what a client uses to reach the registry at HOST:PORT: that address itself, or, in a
# WAN workload ($wan set), a link NAME-link started in front of it. unreach NAME stops that link and says what
# crossed it, and the CPU the link itself used (it shares the cores with the client and the registry).
reach() { if [[ -n "${wan:-}" ]]; then start_link "$1-link" "$2"; else echo "$2"; fi; }
unreach() {
  [[ -n "${wan:-}" ]] || return 0
  local cpu; cpu=$(cpu_of "$(cat "$work/$1-link.pid")")
  stop_server "$1-link"
  echo "   $1 link: $(tail -1 "$work/$1-link.log" | sed 's/^.*: //'), $cpu s of CPU" >&2
}

# blob_bytes LAYOUT: the bytes of its config and layer blobs (not manifests or indexes): what a pull or push
# must move over the link once the manifests' chain of round trips is done
blob_bytes() {
  local f total=0
  for f in "$1"/blobs/sha256/*; do
    grep -qF '"schemaVersion"' "$f" || total=$((total + $(stat -c %s "$f")))
  done
  echo "$total"
}

wan_results="$work/wan.md"
echo "| workload | operation | floor s | of it: round trips x RTT | of it: bytes / rate | Stevedore median s | skopeo median s | MinimalClient median s | Stevedore / floor | skopeo / floor | MinimalClient / floor | Stevedore / skopeo | runs |" > "$wan_results"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|" >> "$wan_results"
# wan_row WORKLOAD OPERATION ROUND_TRIPS BYTES A B M: the floor (the round trips on the critical path at the
# link's round trip, plus the bytes at its rate) and the medians of measure's arrays A (Stevedore), B (skopeo)
# and M (MinimalClient), each as a ratio to the floor
wan_row() {
  local -n aw=$5_wall bw=$6_wall mw=$7_wall
  local trips bytes floor a b m
  trips=$(awk -v n="$3" -v rtt="$wan_rtt_ms" 'BEGIN { printf "%.2f", n * rtt / 1000 }')
  bytes=$(awk -v b="$4" -v mbit="$wan_mbit" 'BEGIN { printf "%.2f", b * 8 / (mbit * 1000000) }')
  floor=$(awk -v a="$trips" -v b="$bytes" 'BEGIN { printf "%.2f", a + b }')
  a=$(echo "${aw[*]}" | median); b=$(echo "${bw[*]}" | median); m=$(echo "${mw[*]}" | median)
  echo "| $1 | $2 | $floor | $3 x $wan_rtt_ms ms = $trips | $(awk -v b="$4" 'BEGIN { printf "%.1f", b / 1e6 }') MB = $bytes | $a | $b | $m |" \
    "$(ratio "$a" "$floor") | $(ratio "$b" "$floor") | $(ratio "$m" "$floor") | $(ratio "$a" "$b") | ${#aw[@]} |" >> "$wan_results"
}

# seed_source NAME IMAGES PLATFORMS LAYERS BYTES SHARED [tls]: generates the images, starts the registry NAME-src
# and copies them into it, times the reference hashes over their blobs, and makes the launcher's first (untimed)
# run. Sets the caller's gen (the generated OCI layout), tags, src (host:port), ref_cat, ref_sha and ref_jvm.
seed_source() {
  local name=$1 s
  gen="$work/$name-gen"
  mapfile -t tags < <(java "$here/GenerateImages.java" "$gen" "$2" "$3" "$4" "$5" "$6")
  src=$(start_registry "$name-src" "${7:-}")
  for t in "${tags[@]}"; do skopeo copy -q --all --dest-tls-verify=false "oci:$gen:$t" "docker://$src/bench/$t:$t"; done
  s=$(now); cat "$gen"/blobs/sha256/* >/dev/null; ref_cat=$(elapsed "$s" "$(now)")
  s=$(now); sha256sum "$gen"/blobs/sha256/* >/dev/null; ref_sha=$(elapsed "$s" "$(now)")
  ref_jvm=$("$runtime/bin/java" "$here/HashFiles.java" "$gen/blobs/sha256")
  echo "   reference over the same blobs: cat $ref_cat s, sha256sum $ref_sha s, SHA-256 in the JVM $ref_jvm s" >&2
  # The launcher's first run after a build records its class-data-sharing archive; keep that out of
  # the timings with one untimed pull of a single image.
  pull_playbook "$work/$name-warmup.yaml" "$src" "$work/$name-warmup" "${tags[0]}"
  "$root/stevedore" run "$work/$name-warmup.yaml" >"$work/$name-warmup.log" 2>&1
  rm -rf "$work/$name-warmup"
}

bench_workload() { # NAME IMAGES PLATFORMS LAYERS BYTES SHARED [tls|wan]
  local name=$1 tls="" wan=""
  case "${7:-}" in tls) tls=tls ;; wan) wan=wan ;; esac
  echo "== $name: generating $2 images x $3 platforms x $4 layers x $5 bytes (shared base: $6)${tls:+, over TLS}${wan:+, through a link of $wan_rtt_ms ms round trip and $wan_mbit Mbit/s}" >&2
  local gen tags src ref_cat ref_sha ref_jvm
  seed_source "$name" "$2" "$3" "$4" "$5" "$6" "$tls"

  local a_pull_wall=() a_pull_cpu=() a_pull_sys=() a_pull_reg=() b_pull_wall=() b_pull_cpu=() b_pull_sys=() b_pull_reg=()
  local a_push_wall=() a_push_cpu=() a_push_sys=() a_push_reg=() b_push_wall=() b_push_cpu=() b_push_sys=() b_push_reg=()
  local noop_pull_wall=() noop_pull_cpu=() noop_pull_sys=() noop_pull_reg=()
  local noop_push_wall=() noop_push_cpu=() noop_push_sys=() noop_push_reg=()
  local m_pull_wall=() m_pull_cpu=() m_pull_sys=() m_pull_reg=() m_push_wall=() m_push_cpu=() m_push_sys=() m_push_reg=()
  # From here on, clients reach a registry as $from or $to: itself or, in a WAN workload, a link of their own
  # in front of it, so that what crossed it is each client's.
  local clients=(stevedore skopeo minimal) from dst to k minimal_tls=()
  [[ -z "$tls" ]] || minimal_tls=(-Dminimal.tls=insecure)
  for r in $(seq 1 "$runs"); do
    rm -rf "$work/$name-st" "$work/$name-sk" "$work/$name-min"
    # Each run starts with another client, so none is always first or always last.
    for k in "${!clients[@]}"; do
      case "${clients[(k + r - 1) % ${#clients[@]}]}" in
        stevedore)
          from=$(reach "$name-src-a" "$src")
          pull_playbook "$work/$name-pull.yaml" "$from" "$work/$name-st" "${tags[@]}"
          measure a_pull "$name-src" "$work/$name-pull.log" "$root/stevedore" run "$work/$name-pull.yaml"
          measure noop_pull "$name-src" "$work/$name-noop.log" "$root/stevedore" run "$work/$name-pull.yaml"
          unreach "$name-src-a" ;;
        skopeo)
          from=$(reach "$name-src-b" "$src")
          measure b_pull "$name-src" "$work/$name-sk-pull.log" bash -c 'skopeo_pulls "$@"' _ "$from" "$work/$name-sk" "${tags[@]}"
          unreach "$name-src-b" ;;
        minimal)
          from=$(reach "$name-src-c" "$src")
          measure m_pull "$name-src" "$work/$name-min-pull.log" "${minimal[0]}" "${minimal_tls[@]}" "${minimal[@]:1}" pull "$from" "$work/$name-min" "${tags[@]}"
          unreach "$name-src-c" ;;
      esac
    done

    for k in "${!clients[@]}"; do
      case "${clients[(k + r - 1) % ${#clients[@]}]}" in
        stevedore)
          dst=$(start_registry "$name-dst-a" "$tls"); to=$(reach "$name-dst-a" "$dst")
          push_playbook "$work/$name-push.yaml" "$to" "$work/$name-st"
          measure a_push "$name-dst-a" "$work/$name-push.log" "$root/stevedore" run "$work/$name-push.yaml"
          measure noop_push "$name-dst-a" "$work/$name-push-noop.log" "$root/stevedore" run "$work/$name-push.yaml"
          unreach "$name-dst-a"; stop_server "$name-dst-a" ;;
        skopeo)
          dst=$(start_registry "$name-dst-b" "$tls"); to=$(reach "$name-dst-b" "$dst")
          measure b_push "$name-dst-b" "$work/$name-sk-push.log" bash -c 'skopeo_pushes "$@"' _ "$work/$name-sk" "$to" "${tags[@]}"
          unreach "$name-dst-b"; stop_server "$name-dst-b" ;;
        minimal)
          dst=$(start_registry "$name-dst-c" "$tls"); to=$(reach "$name-dst-c" "$dst")
          measure m_push "$name-dst-c" "$work/$name-min-push.log" "${minimal[0]}" "${minimal_tls[@]}" "${minimal[@]:1}" push "$work/$name-sk" "$to" "${tags[@]}"
          unreach "$name-dst-c"; stop_server "$name-dst-c" ;;
      esac
    done
    echo "   run $r: pull ${a_pull_wall[-1]} vs ${b_pull_wall[-1]} s, push ${a_push_wall[-1]} vs ${b_push_wall[-1]} s," \
      "no-op pull ${noop_pull_wall[-1]} s, no-op push ${noop_push_wall[-1]} s, MinimalClient pull ${m_pull_wall[-1]} s, push ${m_push_wall[-1]} s" >&2
  done
  row "$name" pull a_pull b_pull
  row "$name" push a_push b_push
  row "$name" "reference: pull by MinimalClient.java" m_pull b_pull
  row "$name" "reference: push by MinimalClient.java" m_push b_push
  row "$name" "no-op pull" noop_pull
  row "$name" "no-op push" noop_push
  echo "| $name | reference: cat, sha256sum, SHA-256 in the JVM of the blobs | $ref_cat, $ref_sha, $ref_jvm | | | | | | 1 |" >> "$results"
  if [[ -n "$wan" ]]; then
    # The critical path, with as many requests in flight as a client likes. A pull: the TCP handshake, the
    # image's manifest (and, for an index, the platform's manifest after it), then its blobs. A push: the
    # handshake, an upload's POST and its PUT (this registry ignores a body sent with the POST), then the
    # manifest that needs its blobs in place (and the index after its manifests). A blob shared between
    # repositories crosses once: a pull writes it once, a push mounts it from the repository that has it.
    local levels=1 bytes
    (($3 == 1)) || levels=2
    bytes=$(blob_bytes "$gen")
    wan_row "$name" pull $((1 + levels + 1)) "$bytes" a_pull b_pull m_pull
    wan_row "$name" push $((1 + 2 + levels)) "$bytes" a_push b_push m_push
  fi
  stop_server "$name-src"
  rm -rf "$gen" "$work/$name-st" "$work/$name-sk" "$work/$name-min"
}

bundle_results="$work/bundle.md"
echo "| workload | operation | median s | CPU s (system) | against | its median s | its CPU s (system) | ratio | target | runs |" > "$bundle_results"
echo "|---|---|---|---|---|---|---|---|---|---|" >> "$bundle_results"
# bundle_row WORKLOAD OPERATION A AGAINST B TARGET: the median of measure's array A against the median of array B
# (or, when B is a number, that number), as a ratio, with the issue's target for it
bundle_row() {
  local -n aw=$3_wall ac=$3_cpu as=$3_sys
  local a b bcpu=""
  a=$(echo "${aw[*]}" | median)
  if [[ "$5" =~ ^[0-9.]+$ ]]; then b=$5; else
    local -n bw=$5_wall bc=$5_cpu bs=$5_sys
    b=$(echo "${bw[*]}" | median); bcpu="$(echo "${bc[*]}" | median) ($(echo "${bs[*]}" | median))"
  fi
  echo "| $1 | $2 | $a | $(echo "${ac[*]}" | median) ($(echo "${as[*]}" | median)) | $4 | $b | $bcpu | $(ratio "$a" "$b") | $6 | ${#aw[@]} |" >> "$bundle_results"
}

bench_bundle() { # NAME [wan]: W1 into an images directory and into a bundle archive, each verified, each pushed
  local name=$1 wan=""
  [[ "${2:-}" != wan ]] || wan=wan
  echo "== $name: W1 pulled into a directory and into a bundle archive, verified, and pushed from each${wan:+, through a link of $wan_rtt_ms ms round trip and $wan_mbit Mbit/s}" >&2
  local gen tags src ref_cat ref_sha ref_jvm
  seed_source "$name" 20 2 3 $((8 * 1024 * 1024)) true
  local d_pull_wall=() d_pull_cpu=() d_pull_sys=() d_pull_reg=() t_pull_wall=() t_pull_cpu=() t_pull_sys=() t_pull_reg=()
  local d_push_wall=() d_push_cpu=() d_push_sys=() d_push_reg=() t_push_wall=() t_push_cpu=() t_push_sys=() t_push_reg=()
  local d_verify_wall=() d_verify_cpu=() d_verify_sys=() d_verify_reg=() t_verify_wall=() t_verify_cpu=() t_verify_sys=() t_verify_reg=()
  local z_pull_wall=() z_pull_cpu=() z_pull_sys=() z_pull_reg=() z_push_wall=() z_push_cpu=() z_push_sys=() z_push_reg=()
  local z_verify_wall=() z_verify_cpu=() z_verify_sys=() z_verify_reg=()
  # The zstd form is the optional .tar.zst: its rows have no target (issue 17 asks it measured, not bounded).
  local forms=(directory archive zstd) dir="$work/$name-dir" tar="$work/$name-archive.tar" zst="$work/$name-archive.tar.zst"
  local dst to from k p refs=()
  for r in $(seq 1 "$runs"); do
    rm -rf "$dir" "$tar" "$tar.sha256" "$zst" "$zst.sha256"
    # Each run starts with another form, so none is always first.
    for k in 0 1 2; do
      case "${forms[(k + r) % 3]}" in
        directory) from=$(reach "$name-src-d" "$src"); pull_playbook "$work/$name-pull-d.yaml" "$from" "$dir" "${tags[@]}"
          measure d_pull "$name-src" "$work/$name-pull-d.log" "$root/stevedore" run "$work/$name-pull-d.yaml"
          unreach "$name-src-d" ;;
        archive) from=$(reach "$name-src-t" "$src"); pull_playbook "$work/$name-pull-t.yaml" "$from" "$tar" "${tags[@]}"
          measure t_pull "$name-src" "$work/$name-pull-t.log" "$root/stevedore" run "$work/$name-pull-t.yaml"
          unreach "$name-src-t" ;;
        zstd) from=$(reach "$name-src-z" "$src"); pull_playbook "$work/$name-pull-z.yaml" "$from" "$zst" "${tags[@]}"
          measure z_pull "$name-src" "$work/$name-pull-z.log" "$root/stevedore" run "$work/$name-pull-z.yaml"
          unreach "$name-src-z" ;;
      esac
    done
    # The verify rows' reference, taken in each run beside them on the launcher's runtime: one figure taken at
    # the start ranged from 0.91 to 1.63 s on one day here, more than the verifies themselves moved.
    refs+=("$("$runtime/bin/java" "$here/HashFiles.java" "$gen/blobs/sha256")")
    for k in 0 1 2; do
      case "${forms[(k + r) % 3]}" in
        directory) measure d_verify - "$work/$name-verify-d.log" "$root/stevedore" verify "$dir" ;;
        archive) measure t_verify - "$work/$name-verify-t.log" "$root/stevedore" verify "$tar" ;;
        zstd) measure z_verify - "$work/$name-verify-z.log" "$root/stevedore" verify "$zst" ;;
      esac
    done
    for k in 0 1 2; do
      case "${forms[(k + r) % 3]}" in
        directory) p=d from=$dir ;;
        archive) p=t from=$tar ;;
        zstd) p=z from=$zst ;;
      esac
      dst=$(start_registry "$name-dst-$p"); to=$(reach "$name-dst-$p" "$dst")
      push_playbook "$work/$name-push-$p.yaml" "$to" "$from"
      measure "${p}_push" "$name-dst-$p" "$work/$name-push-$p.log" "$root/stevedore" run "$work/$name-push-$p.yaml"
      unreach "$name-dst-$p"; stop_server "$name-dst-$p"
    done
    echo "   run $r: pull ${t_pull_wall[-1]} (archive) ${z_pull_wall[-1]} (zstd) vs ${d_pull_wall[-1]} s (directory), push" \
      "${t_push_wall[-1]} ${z_push_wall[-1]} vs ${d_push_wall[-1]} s, verify ${t_verify_wall[-1]} ${z_verify_wall[-1]} vs" \
      "${d_verify_wall[-1]} s (reference ${refs[-1]} s)" >&2
  done
  ref_jvm=$(echo "${refs[*]}" | median)
  bundle_row "$name" "pull into an archive" t_pull "pull into a directory" d_pull "<= 1.10"
  bundle_row "$name" "push from an archive" t_push "push from a directory" d_push "<= 1.10"
  bundle_row "$name" "verify the archive (stevedore verify, JVM start included)" t_verify "SHA-256 in the JVM of the blobs" "$ref_jvm" "<= 1.20"
  bundle_row "$name" "verify the directory (stevedore verify, JVM start included)" d_verify "SHA-256 in the JVM of the blobs" "$ref_jvm" "<= 1.20"
  bundle_row "$name" "pull into a .tar.zst" z_pull "pull into a directory" d_pull "none"
  bundle_row "$name" "push from a .tar.zst" z_push "push from a directory" d_push "none"
  bundle_row "$name" "verify the .tar.zst (stevedore verify, JVM start included)" z_verify "SHA-256 in the JVM of the blobs" "$ref_jvm" "none"
  echo "   $name sizes: .tar $(stat -c %s "$tar") bytes, .tar.zst $(stat -c %s "$zst") bytes" >&2
  stop_server "$name-src"
  rm -rf "$gen" "$dir" "$tar" "$tar.sha256" "$zst" "$zst.sha256"
}

bench_memory() { # W3: one image, one 2 GB layer; peak RSS of each tool pulling it
  echo "== W3: one image with one 2 GB layer" >&2
  local gen="$work/W3-gen"
  java "$here/GenerateImages.java" "$gen" 1 1 1 $((2 * 1024 * 1024 * 1024)) false >/dev/null
  local src; src=$(start_registry W3-src)
  skopeo copy -q --dest-tls-verify=false "oci:$gen:img0" "docker://$src/bench/img0:img0"
  # As seed_source does: the start of this script drops the launcher's cache, which its next run records, so
  # one untimed pull comes first (when W3 ran alone, its first timed pull took 27 s and 585 MB).
  pull_playbook "$work/W3-warmup.yaml" "$src" "$work/W3-warmup" img0
  "$root/stevedore" run "$work/W3-warmup.yaml" >"$work/W3-warmup.log" 2>&1
  rm -rf "$work/W3-warmup"
  local a_rss=() b_rss=() a_t=() b_t=() c_rss=() c_t=()
  for r in $(seq 1 "$runs"); do
    rm -rf "$work/W3-st" "$work/W3-sk" "$work/W3-st.tar" "$work/W3-st.tar.sha256"
    pull_playbook "$work/W3-pull.yaml" "$src" "$work/W3-st" img0
    local s; s=$(now)
    /usr/bin/time -v "$root/stevedore" run "$work/W3-pull.yaml" >"$work/W3-pull.log" 2>"$work/W3-time-a"; a_t+=("$(elapsed "$s" "$(now)")")
    a_rss+=("$(awk -F: '/Maximum resident/ { gsub(/ /, "", $2); print $2 }' "$work/W3-time-a")")
    # The same pull into a bundle archive (one tar file); the directory's copy goes first, so the disk holds one.
    rm -rf "$work/W3-st"; sync
    pull_playbook "$work/W3-pull-archive.yaml" "$src" "$work/W3-st.tar" img0
    s=$(now)
    /usr/bin/time -v "$root/stevedore" run "$work/W3-pull-archive.yaml" >"$work/W3-pull-archive.log" 2>"$work/W3-time-c"; c_t+=("$(elapsed "$s" "$(now)")")
    c_rss+=("$(awk -F: '/Maximum resident/ { gsub(/ /, "", $2); print $2 }' "$work/W3-time-c")")
    rm -f "$work/W3-st.tar" "$work/W3-st.tar.sha256"; sync
    s=$(now)
    /usr/bin/time -v skopeo copy -q --src-tls-verify=false "docker://$src/bench/img0:img0" "oci:$work/W3-sk:img0" 2>"$work/W3-time-b"; b_t+=("$(elapsed "$s" "$(now)")")
    b_rss+=("$(awk -F: '/Maximum resident/ { gsub(/ /, "", $2); print $2 }' "$work/W3-time-b")")
    echo "   run $r: Stevedore ${a_t[-1]} s ${a_rss[-1]} KB (into an archive ${c_t[-1]} s ${c_rss[-1]} KB), skopeo ${b_t[-1]} s ${b_rss[-1]} KB" >&2
  done
  local at bt ct
  at=$(echo "${a_t[*]}" | median); bt=$(echo "${b_t[*]}" | median); ct=$(echo "${c_t[*]}" | median)
  local brss=$(( $(echo "${b_rss[*]}" | median | cut -d. -f1) / 1024 ))
  echo "| W3 | pull 2 GB layer | $at | $bt | $(ratio "$at" "$bt") | | | | $runs |" >> "$results"
  echo "| W3 | peak RSS MB | $(( $(echo "${a_rss[*]}" | median | cut -d. -f1) / 1024 )) | $brss | | | | | $runs |" >> "$results"
  echo "| W3 | pull 2 GB layer into a bundle archive | $ct | $bt | $(ratio "$ct" "$bt") | | | | $runs |" >> "$results"
  echo "| W3 | peak RSS MB, into a bundle archive | $(( $(echo "${c_rss[*]}" | median | cut -d. -f1) / 1024 )) | $brss | | | | | $runs |" >> "$results"
  stop_server W3-src
  rm -rf "$gen" "$work/W3-st" "$work/W3-sk" "$work/W3-st.tar" "$work/W3-st.tar.sha256"
}

for w in "${workloads[@]}"; do
  case "$w" in
    W1) bench_workload W1 20 2 3 $((8 * 1024 * 1024)) true ;;
    W2) bench_workload W2 100 1 5 $((100 * 1024)) false ;;
    W3) bench_memory ;;
    W4) bench_workload W4 20 2 3 $((8 * 1024 * 1024)) true tls ;;
    W1-WAN) bench_workload W1-WAN 20 2 3 $((8 * 1024 * 1024)) true wan ;;
    W2-WAN) bench_workload W2-WAN 100 1 5 $((100 * 1024)) false wan ;;
    W1-BUNDLE) bench_bundle W1-BUNDLE ;;
    W1-BUNDLE-WAN) bench_bundle W1-BUNDLE-WAN wan ;;
    *) echo "bench: unknown workload $w (W1, W2, W3, W4, W1-WAN, W2-WAN, W1-BUNDLE, W1-BUNDLE-WAN)" >&2; exit 1 ;;
  esac
done
# The JVM's start, which every Stevedore row includes: the launcher printing its version.
start_wall=() start_cpu=() start_sys=() start_reg=()
for _ in $(seq 1 "$runs"); do measure start - "$work/start.log" "$root/stevedore" --version; done
row all "JVM start: ./stevedore --version" start
echo
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB; $(date -u +%Y-%m-%d); skopeo $(skopeo --version | awk '{ print $3 }'); Stevedore and MinimalClient on $("$runtime/bin/java" -version 2>&1 | head -1)"
cat "$results"
if (($(wc -l < "$wan_results") > 2)); then
  echo
  echo "Through the link: $wan_rtt_ms ms round trip, $wan_mbit Mbit/s each way (test-support's LinkSimulator)"
  cat "$wan_results"
fi
if (($(wc -l < "$bundle_results") > 2)); then
  echo
  echo "Bundles: an archive against a directory, and verify against the JVM's SHA-256 of the same blobs"
  cat "$bundle_results"
fi
