#!/usr/bin/env bash
# The demo behind `./stevedore demo`: starts a CNCF distribution registry on 127.0.0.1, pushes the
# bundled sample images into it, pulls them back for one platform, pushes them again under another
# namespace with a template, and shows the registered results. Nothing leaves this machine. Without
# --keep the registry is a throwaway one, stopped and removed with everything it wrote at the end;
# with --keep it is the examples' registry of `./stevedore registry start`, left running.
set -euo pipefail

source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/registry.sh"

usage() {
  cat <<TEXT
Usage: ./stevedore demo [--keep] [-v | -vv]

Runs playbooks/demo.yaml against a local registry: pushes the sample images (src/demo/sample-images)
into it, pulls them back for linux/arm64, and pushes them again under the namespace demo-arm64.

  --keep   leave the registry running with the sample images (the one of ./stevedore registry start,
           on 127.0.0.1:\${STEVEDORE_DEMO_PORT:-5000}) and print the command that runs each example
           playbook against it; ./stevedore registry stop ends it
  -v, -vv  more output from the playbook run
  --help   show this help (and start nothing)
TEXT
}

keep=false
run_options=()
for arg in "$@"; do
  case "$arg" in
    -h|--help) usage; exit 0 ;;
    --keep) keep=true ;;
    -v|-vv|--verbose) run_options+=("$arg") ;;
    *) echo "demo: unknown option '$arg'" >&2; usage >&2; exit 1 ;;
  esac
done

require_registry
work=$(mktemp -d "${TMPDIR:-/tmp}/stevedore-demo-run.XXXXXX")
registry_pid=""
cleanup() {
  if [[ -n "$registry_pid" ]]; then stop_registry "$registry_pid"; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if $keep; then
  start >"$work/start.txt" || { cat "$work/start.txt"; exit 1; }
  registry_pid="" # kept: the cleanup leaves it running
  registry="127.0.0.1:$demo_port"
else
  port=""
  for candidate in $(shuf -i 20000-60000 -n 50); do
    if port_free "$candidate"; then port=$candidate; break; fi
  done
  [[ -n "$port" ]] || { echo "demo: found no free port on 127.0.0.1" >&2; exit 1; }
  start_registry "$port" "$work/registry"
  registry="127.0.0.1:$port"
  echo "demo: registry running on $registry (pid $registry_pid), work folder $work"
fi

"$root/stevedore" run "$root/playbooks/demo.yaml" -e "registry=$registry" \
  -e "sample_dir=$root/src/demo/sample-images" -e "work_dir=$work" ${run_options[@]+"${run_options[@]}"}

if $keep; then
  echo
  print_examples
fi
