#!/usr/bin/env bash
# What optional zstd would give a bundle archive (issue 17 asks to measure zstd-jni against aircompressor):
#   bench/compression.sh
# The content is real files, not the benchmark's pseudo-random layers: a tar of the JDK the launcher runs on
# (about 300 MB of class archives, native libraries and text), once as an uncompressed layer
# (application/vnd.oci.image.layer.v1.tar) and once gzip'd at gzip's default level, as docker and BuildKit
# push layers. Each is compressed and decompressed by both libraries at zstd's default level, in one thread
# (bench/CompressionProbe.java), and by the zstd command when it is there, for reference. COMPRESSION_RUNS
# (3) passes each; the median. Works under bench/work-compression/ (removed at the start). The two jars come
# from the local Maven repository, or are fetched into it. Prints a Markdown table.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
work="$here/work-compression"
runs=${COMPRESSION_RUNS:-3}
zstd_jni=${ZSTD_JNI_VERSION:-1.5.7-28}
aircompressor=${AIRCOMPRESSOR_VERSION:-2.0.3}

rm -rf "$work"; mkdir -p "$work/lib"
runtime=$("$root/stevedore" --version | sed -n 's/^runtime: Java [^,]*, //p')
for artifact in "com.github.luben:zstd-jni:$zstd_jni" "io.airlift:aircompressor:$aircompressor"; do
  mvn -B -q -o dependency:copy -Dartifact="$artifact" -DoutputDirectory="$work/lib" >/dev/null 2>&1 \
    || mvn -B -q dependency:copy -Dartifact="$artifact" -DoutputDirectory="$work/lib" >&2
done

echo "== content: a tar of $runtime" >&2
tar -cf "$work/layer.tar" -C "$runtime" .
gzip -6 -n -c "$work/layer.tar" > "$work/layer.tar.gz"

zstd_command=""
if command -v zstd >/dev/null; then zstd_command=$(zstd -V | grep -o 'v[0-9.]*' | head -1); fi
# zstd-jni loads its native library; aircompressor reads arrays through sun.misc.Unsafe, which JDK 24 and
# later warn of once: both are the libraries' own business, not the measurement's.
"$runtime/bin/java" --enable-native-access=ALL-UNNAMED -Dzstd.command.version="$zstd_command" -cp "$work/lib/*" \
  "$here/CompressionProbe.java" "$runs" "$work" \
  "an uncompressed layer=$work/layer.tar" "a gzip layer=$work/layer.tar.gz" > "$work/results.md"

echo "Machine: $(nproc) cores; $(date -u +%Y-%m-%d); $("$runtime/bin/java" -version 2>&1 | head -1)"
cat "$work/results.md"
