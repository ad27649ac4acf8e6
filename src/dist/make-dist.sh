#!/usr/bin/env bash
# Builds the distribution for the air-gapped side: stevedore-<version>-linux-<arch>.tar.gz, holding
#   bin/stevedore            the launcher (the checkout's ./stevedore, which knows this layout)
#   lib/stevedore.jar        the shaded jar
#   lib/stevedore.aot        with a runtime of JDK 25 or later: the ahead-of-time cache of a training
#                            run, which the launcher maps from the first run on, wherever it is unpacked
#   lib/stevedore.classlist  with JDK 17: the classes a run loads, from which the first run at the
#                            unpacked place dumps the class-data-sharing archive lib/stevedore.jsa
#   runtime/                 a jlinked Java runtime holding only the modules the tool needs
# The runtime is that of the newest JDK 17 or later under /usr/lib/jvm (STEVEDORE_JVM_DIR) that can link
# one, else Maven's: JDK 25 with its cache measured best (BENCHMARKS.md, "The distribution's runtime").
# STEVEDORE_DIST_JDK names the JDK outright.
# Run by Maven in src/'s package phase:
#   make-dist.sh JAR VERSION OUTPUT_DIR JAVA_HOME LAUNCHER SAMPLE_IMAGES
set -euo pipefail
jar=$1 version=$2 out=$3 java_home=$4 launcher=$5 samples=$6

# The modules `jdeps --print-module-deps --ignore-missing-deps --multi-release 17` finds in the shaded jar
# (java.desktop for FreeMarker's java.beans, java.sql for the date types of FreeMarker and Jackson,
# java.naming, java.management, java.scripting, java.rmi and java.compiler for Log4j's optional parts,
# jdk.unsupported for sun.misc), plus the providers jdeps cannot see, since they are looked up by name:
# jdk.crypto.ec (the EC algorithms of TLS: ECDHE, ECDSA), jdk.random (RandomGenerator.getDefault(), the
# retries' jitter) and jdk.charsets (the charsets beyond UTF-8 and Latin-1 a host's locale may name).
# Pinned rather than computed: jdeps takes 16 s, and DistributionIT runs a pull and a push over TLS on
# this runtime, which is how jdk.random was found missing.
modules=java.base,java.compiler,java.desktop,java.management,java.naming,java.net.http,java.rmi,java.scripting
modules=$modules,java.sql,jdk.unsupported,jdk.charsets
# Their code moved into java.base later (jdk.crypto.ec in JDK 22, jdk.random in 23, which has no such
# module since): each is named when the JDK has it.
merged=(jdk.crypto.ec jdk.random)

# jdk_release HOME -> its feature release (17, 25), from its release file; nothing when it has none
jdk_release() { sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null | head -1 || true; }
jdk=${STEVEDORE_DIST_JDK:-}
if [[ -z "$jdk" ]]; then
  jdk=$java_home
  best=$(jdk_release "$java_home")
  for candidate in "${STEVEDORE_JVM_DIR:-/usr/lib/jvm}"/*; do
    release=$(jdk_release "$candidate")
    if [[ -x "$candidate/bin/jlink" && -n "$release" ]] && ((release >= 17 && release > ${best:-0})); then
      jdk=$candidate; best=$release
    fi
  done
fi

case "$(uname -m)" in
  x86_64|amd64) arch=x64 ;;
  aarch64|arm64) arch=aarch64 ;;
  *) arch="$(uname -m)" ;;
esac
name="stevedore-$version"
stage_root="$out/dist"
stage="$stage_root/$name"
tarball="$out/$name-linux-$arch.tar.gz"
rm -rf "$stage_root" "$tarball"
mkdir -p "$stage/bin" "$stage/lib"

# link JDK -> the runtime into the stage, from JDK; fails as jlink does (a JDK without jmods that cannot
# link from its own run-time image, JEP 493, is one). No debug attributes, headers or man pages; modules
# stored uncompressed: the tarball's gzip compresses them as well, and classes read from an uncompressed
# image load faster.
link() {
  local with=$modules module
  for module in "${merged[@]}"; do
    if "$1/bin/java" --list-modules | grep -q "^$module@"; then with=$with,$module; fi
  done
  rm -rf "$stage/runtime"
  "$1/bin/jlink" --add-modules "$with" --strip-debug --no-header-files --no-man-pages --output "$stage/runtime"
}
if ! link "$jdk"; then
  [[ -z "${STEVEDORE_DIST_JDK:-}" && "$jdk" != "$java_home" ]] || exit 1
  echo "make-dist.sh: $jdk cannot link a runtime (above); the runtime is Maven's, $java_home" >&2
  jdk=$java_home
  link "$jdk"
fi
# The jar keeps its time: the launcher takes a cache as valid when it is not older than the jar.
cp -p "$jar" "$stage/lib/stevedore.jar"
cp "$launcher" "$stage/bin/stevedore"
chmod 0755 "$stage/bin/stevedore"

# The training run, on this runtime: the bundled sample images copied between a KubeKey directory and an
# OCI layout, which loads the engine, the image module, YAML, FreeMarker and Jackson.
# - JDK 25 or later: run through the staged launcher, which records lib/stevedore.aot as a checkout's first
#   run records its own, with the launcher's JVM options. The cache may move with the jar, so it travels.
# - JDK 17: the class list only. Java 17 ties an application's class-data-sharing archive to the jar's
#   absolute path, so an archive dumped here would not load after unpacking elsewhere; the launcher dumps
#   it from this list at the first run in the unpacked place (1-2 s, once).
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/train.yaml" <<YAML
- hosts: localhost
  tasks:
    - image:
        src: "local://$samples"
        dest: "oci-layout://$work/oci"
    - image:
        src: "oci-layout://$work/oci"
        dest: "local://$work/images"
        platform: linux/amd64
YAML
if (( $(jdk_release "$stage/runtime") >= 25 )); then
  trained=(env -u STEVEDORE_JAVA_OPTS "$stage/bin/stevedore" run "$work/train.yaml") # the launcher's options only
  made="$stage/lib/stevedore.aot"
else
  trained=("$stage/runtime/bin/java" -XX:DumpLoadedClassList="$stage/lib/stevedore.classlist"
    -jar "$stage/lib/stevedore.jar" run "$work/train.yaml")
  made="$stage/lib/stevedore.classlist"
fi
if ! "${trained[@]}" > "$work/train.log" 2>&1 || [[ ! -s "$made" ]]; then
  cat "$work/train.log" >&2
  echo "make-dist.sh: the training run on the jlinked runtime failed, or did not write $made" >&2
  exit 1
fi

# Sorted names, no owner, and a fixed mtime (the jar's), so the same inputs give the same tarball, but for
# an AOT cache: it holds the training run's method profiles, which differ from run to run.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$(stat -c %Y "$jar")" \
  -C "$stage_root" -czf "$tarball" "$name"
echo "make-dist.sh: $tarball ($(du -h "$tarball" | cut -f1), $(du -sh "$stage" | cut -f1) unpacked, the runtime of $jdk)"
