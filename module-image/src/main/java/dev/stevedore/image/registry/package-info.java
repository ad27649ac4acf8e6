/**
 * The OCI Distribution client, on {@code java.net.http} and Jackson only.
 *
 * <p>{@link dev.stevedore.image.registry.RegistryTarget} is the entry point: one per task, built from
 * the task's {@link dev.stevedore.image.registry.RegistrySettings}; it serves every registry host the
 * task names and is an {@link dev.stevedore.image.target.ImageTarget}. Inside, one class per protocol
 * step ({@code ManifestResolver}, {@code ManifestPuller}, {@code BlobChecker}, {@code BlobPuller},
 * {@code BlobMounter}, {@code BlobUploader}, {@code ManifestPusher}) describes one request and reads
 * one answer, and {@link dev.stevedore.image.registry.RegistryEndpointCaller} adds what every request
 * needs: authentication ({@code .auth}), retries, redirects and error mapping. Transport concerns
 * (TLS, proxies, timeouts, backoff) live in {@code .http}.
 *
 * <p>How the copier moves blobs (through {@code ImageTarget} only):
 * <ul>
 *   <li>from a registry: {@code openBlob(image, blob, offset)}, a stream that resumes a cut body with
 *       {@code Range} and does not hash; the destination hashes while it writes (a store, into a
 *       temporary file it renames into place only when size and digest match) or the destination
 *       registry verifies the digest.</li>
 *   <li>to a registry: {@code writeBlob(image, blob, BlobSource)}, streamed in one {@code PUT} (or in
 *       chunks), and restarted in a new session when it fails, because the source can be opened again;
 *       {@code writeBlob(image, blob, stream)} gets one attempt.</li>
 *   <li>always {@code hasBlob} first, then {@code mountBlob} from a repository known to hold the blob
 *       on the same registry, and upload only when both say no.</li>
 * </ul>
 * {@code downloadBlob(image, blob, file)} (hashing into a file the caller chose) and
 * {@code uploadBlob(image, blob, file)} (sent by the JDK from a file) move a blob between a registry
 * and a file without a store; the copier does not use them, the tests and their seeding do.
 */
package dev.stevedore.image.registry;
