#!/usr/bin/env bash
# `./stevedore registry start|stop|status`: the demo's registry for the example playbooks. `start` runs
# a CNCF distribution registry on 127.0.0.1:${STEVEDORE_DEMO_PORT:-5000} in the background, pushes the
# bundled sample images into it and prints the command that runs each example of playbooks/; `stop`
# ends it and removes ${STEVEDORE_DEMO_DIR:-/tmp/stevedore-demo}, where it keeps its data, its log and
# what the examples write. demo.sh sources this file for the same functions.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
demo_port=${STEVEDORE_DEMO_PORT:-5000}
demo_dir=${STEVEDORE_DEMO_DIR:-/tmp/stevedore-demo}

# Installs Debian's docker-registry when it is missing and we may (root with apt-get), else says how.
require_registry() {
  command -v docker-registry >/dev/null 2>&1 && return 0
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's docker-registry package (the CNCF distribution registry)..."
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-registry >/dev/null
  else
    echo "the CNCF distribution registry is missing; install it with: sudo apt-get install docker-registry" >&2
    return 1
  fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_registry PORT DIR: serves DIR/storage on 127.0.0.1:PORT, detached from this shell's session so
# that it outlives it; sets registry_pid and returns once the port answers.
start_registry() {
  local port=$1 dir=$2
  mkdir -p "$dir/storage"
  cat > "$dir/config.yml" <<YAML
version: 0.1
log: {level: warn}
storage:
  filesystem: {rootdirectory: $dir/storage}
  delete: {enabled: true}
http:
  addr: 127.0.0.1:$port
YAML
  setsid docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 < /dev/null &
  registry_pid=$!
  local _
  for _ in $(seq 1 100); do
    if ! port_free "$port"; then return 0; fi
    if ! kill -0 "$registry_pid" 2>/dev/null; then
      cat "$dir/registry.log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "the registry did not listen on 127.0.0.1:$port within 10 s; see $dir/registry.log" >&2
  return 1
}

# stop_registry PID: ends that registry and waits for it to go.
stop_registry() {
  local pid=$1 _
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

# The kept registry's PID, when it still runs: a PID file alone may name a process that has since ended,
# or whose number was reused, so its command line must name our config file.
running_pid() {
  [[ -f "$demo_dir/registry.pid" ]] || return 1
  local pid
  pid=$(cat "$demo_dir/registry.pid")
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "docker-registry serve $demo_dir/config.yml" || return 1
  echo "$pid"
}

# Pushes the bundled sample images into the registry at $1 under their own names.
seed() {
  "$root/stevedore" run "$root/src/demo/seed.yaml" -e "registry=$1" -e "sample_dir=$root/src/demo/sample-images" \
    >"$demo_dir/seed.log" 2>&1 || { cat "$demo_dir/seed.log" >&2; return 1; }
}

# The command that runs each example against the kept registry, as its comment gives it.
print_examples() {
  local registry="127.0.0.1:$demo_port"
  cat <<TEXT
The demo's registry runs on $registry with the sample images (pid $(running_pid)); its data, its log
and what the examples write are in $demo_dir. From $root, run the examples:
  ./stevedore run playbooks/hello.yaml
  ./stevedore run playbooks/pull.yaml -e registry=$registry -e bundle=$demo_dir/bundle
  ./stevedore run playbooks/push.yaml -e registry=$registry -e bundle=$demo_dir/bundle
  ./stevedore run playbooks/copy.yaml -e registry=$registry -e work=$demo_dir/copies
  ./stevedore run playbooks/bundle.yaml -e registry=$registry -e work=$demo_dir/bundle-file
Stop it and remove $demo_dir: ./stevedore registry stop
TEXT
}

start() {
  if running_pid >/dev/null; then
    print_examples
    return 0
  fi
  require_registry
  if ! port_free "$demo_port"; then
    echo "registry: 127.0.0.1:$demo_port is in use by another program; choose another port, for example:" \
      "STEVEDORE_DEMO_PORT=5001 ./stevedore registry start" >&2
    return 1
  fi
  rm -rf "$demo_dir"
  mkdir -p "$demo_dir"
  start_registry "$demo_port" "$demo_dir"
  echo "$registry_pid" > "$demo_dir/registry.pid"
  if ! seed "127.0.0.1:$demo_port"; then
    echo "registry: pushing the sample images failed (above); stopping the registry" >&2
    stop
    return 1
  fi
  print_examples
}

stop() {
  local pid
  if pid=$(running_pid); then
    stop_registry "$pid"
    echo "registry: stopped the demo's registry on 127.0.0.1:$demo_port (pid $pid) and removed $demo_dir"
  else
    echo "registry: the demo's registry is not running; removed $demo_dir"
  fi
  rm -rf "$demo_dir"
}

usage() {
  cat <<TEXT
Usage: ./stevedore registry start | stop | status

  start   run the demo's registry on 127.0.0.1:$demo_port in the background, push the sample images
          into it, and print the command that runs each example playbook against it
  stop    stop it and remove $demo_dir (its data, its log and what the examples wrote)
  status  say whether it runs, and print the examples' commands when it does

STEVEDORE_DEMO_PORT (default 5000) and STEVEDORE_DEMO_DIR (default /tmp/stevedore-demo) change where.
TEXT
}

main() {
  case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status)
      if running_pid >/dev/null; then print_examples; else echo "registry: the demo's registry is not running"; return 3; fi ;;
    -h|--help|help) usage ;;
    *) usage >&2; return 1 ;;
  esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
