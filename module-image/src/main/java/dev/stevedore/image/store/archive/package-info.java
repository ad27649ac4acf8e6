/**
 * The bundle archive: {@link dev.stevedore.image.store.archive.ArchiveStore}, an
 * {@link dev.stevedore.image.target.ImageTarget} over one tar file (or its size-capped parts
 * {@code NAME.part-0001}, ...) whose members are a KubeKey images directory. {@code tar -x} of it gives the
 * directory a pull into {@code images_dir} writes; a push reads any blob from it in place.
 *
 * <p>Open one per archive per task and share it between threads:
 * {@code ArchiveStore.open(path, ArchiveOptions.defaults().withMaxPartSize(4L << 30))}, and close it: closing
 * appends the manifests and tag lists. This package uses {@code dev.stevedore.image.store} (the directory
 * layout's logic, which it reuses for manifests and tags); that package does not know this one.
 */
package dev.stevedore.image.store.archive;
