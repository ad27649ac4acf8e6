/**
 * The bundle archive: {@link dev.stevedore.image.store.archive.ArchiveStore}, an
 * {@link dev.stevedore.image.target.ImageTarget} over one tar file (or its size-capped parts
 * {@code NAME.part-0001}, ...) whose members are a KubeKey images directory. {@code tar -x} of it gives the
 * directory a pull into {@code images_dir} writes; a push reads any blob from it in place. A {@code .tar.zst}
 * holds the same tar, each member a zstd frame of its own ({@code ZstdFrameBody}, on zstd-jni).
 *
 * <p>Open one per archive per task and share it between threads:
 * {@code ArchiveStore.open(path, ArchiveOptions.defaults().withMaxPartSize(4L << 30))}, and close it: closing
 * appends the manifests and tag lists (and what its {@link dev.stevedore.image.store.archive.ArchiveStore.ClosingStep}
 * writes, the integrity manifest) and writes {@code NAME.sha256}, the SHA-256 of every part
 * ({@link dev.stevedore.image.store.archive.PartChecksums}), which a copy reading the archive checks first.
 * This package uses {@code dev.stevedore.image.store} (the directory layout's logic, which it reuses for
 * manifests and tags); that package does not know this one. It does not know {@code dev.stevedore.image.bundle}
 * either: {@code DefaultTargets} passes the bundle's closing step in.
 */
package dev.stevedore.image.store.archive;
