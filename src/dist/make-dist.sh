#!/usr/bin/env bash
# Builds the distribution for the air-gapped side: stevedore-<version>-linux-<arch>.tar.gz, holding
#   bin/stevedore            the launcher (the checkout's ./stevedore, which knows this layout)
#   lib/stevedore.jar        the shaded jar
#   lib/stevedore.classlist  the classes a run loads, from which the first run at the unpacked place
#                            dumps the class-data-sharing archive lib/stevedore.jsa (see below)
#   runtime/                 a jlinked Java runtime holding only the modules the tool needs
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
modules=$modules,java.sql,jdk.unsupported,jdk.crypto.ec,jdk.random,jdk.charsets

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

# No debug attributes, headers or man pages; modules stored uncompressed: the tarball's gzip compresses
# them as well, and classes read from an uncompressed image load faster.
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --output "$stage/runtime"
cp "$jar" "$stage/lib/stevedore.jar"
cp "$launcher" "$stage/bin/stevedore"
chmod 0755 "$stage/bin/stevedore"

# The class list comes from a training run on this runtime: the bundled sample images copied between a
# KubeKey directory and an OCI layout, which loads the engine, the image module, YAML, FreeMarker and
# Jackson. Java 17 ties an application's class-data-sharing archive to the jar's absolute path, so an
# archive dumped here would not load after unpacking elsewhere; the launcher dumps it from this list
# at the first run in the unpacked place (1-2 s, once).
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
if ! "$stage/runtime/bin/java" -XX:DumpLoadedClassList="$stage/lib/stevedore.classlist" \
    -jar "$stage/lib/stevedore.jar" run "$work/train.yaml" > "$work/train.log" 2>&1; then
  cat "$work/train.log" >&2
  echo "make-dist.sh: the training run on the jlinked runtime failed" >&2
  exit 1
fi

# Sorted names, no owner, and a fixed mtime (the jar's), so the same inputs give the same tarball.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$(stat -c %Y "$jar")" \
  -C "$stage_root" -czf "$tarball" "$name"
echo "make-dist.sh: $tarball ($(du -h "$tarball" | cut -f1), $(du -sh "$stage" | cut -f1) unpacked)"
