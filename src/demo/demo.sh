#!/usr/bin/env bash
# The demo behind `./stevedore demo`: starts a throwaway CNCF distribution registry on 127.0.0.1,
# pushes the bundled sample images into it, pulls them back for one platform, pushes them again
# under another namespace with a template, shows the registered results and stops the registry.
# Nothing leaves this machine; everything it writes is under one temporary folder, removed at the end.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

if ! command -v docker-registry >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "demo: installing Debian's docker-registry package (the CNCF distribution registry)..."
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-registry >/dev/null
  else
    echo "demo: the CNCF distribution registry is missing; install it with: sudo apt-get install docker-registry" >&2
    exit 1
  fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/stevedore-demo.XXXXXX")
registry_pid=""
cleanup() {
  if [[ -n "$registry_pid" ]]; then
    kill "$registry_pid" 2>/dev/null || true
    wait "$registry_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=""
for candidate in $(shuf -i 20000-60000 -n 50); do
  if port_free "$candidate"; then port=$candidate; break; fi
done
[[ -n "$port" ]] || { echo "demo: found no free port on 127.0.0.1" >&2; exit 1; }

mkdir -p "$work/registry"
cat > "$work/registry.yml" <<YAML
version: 0.1
log: {level: warn}
storage:
  filesystem: {rootdirectory: $work/registry}
  delete: {enabled: true}
http:
  addr: 127.0.0.1:$port
YAML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 1 100); do
  if ! port_free "$port"; then break; fi
  kill -0 "$registry_pid" 2>/dev/null || { cat "$work/registry.log" >&2; exit 1; }
  sleep 0.1
done
echo "demo: registry running on 127.0.0.1:$port (pid $registry_pid), work folder $work"

"$root/stevedore" run "$root/playbooks/demo.yaml" \
  -e "registry=127.0.0.1:$port" \
  -e "sample_dir=$root/src/demo/sample-images" \
  -e "work_dir=$work" "$@"
