/**
 * The directory stores: {@link dev.stevedore.image.store.KubeKeyLayoutStore} (a KubeKey
 * {@code images_dir}, both generations) and {@link dev.stevedore.image.store.OciLayoutStore} (a standard
 * OCI image layout), both {@link dev.stevedore.image.target.ImageTarget}s.
 *
 * <p>Open one store per directory per task and share it between threads:
 * {@code KubeKeyLayoutStore.open(path)} or {@code OciLayoutStore.open(path, StoreOptions.defaults().withVerifyExistingBlobs())}.
 * Every write streams into a {@code .tmp-<random>} file in the final folder while hashing, checks size
 * and digest ({@link dev.stevedore.image.store.DigestMismatchException} otherwise), flushes, sets mode
 * 0644 (folders 0755) and renames atomically. A blob downloaded from a {@link dev.stevedore.image.target.BlobSource}
 * streams into {@code .tmp-resume-<final name>} instead ({@code PartialBlobFile}), held under an OS lock and
 * kept when the transfer is cut, cancelled or killed, so the next write of that blob (in any process) hashes
 * what is there and fetches only the rest. Names are parsed by the reference grammar before they
 * reach a path, and every path is checked to stay inside the store's root.
 */
package dev.stevedore.image.store;
