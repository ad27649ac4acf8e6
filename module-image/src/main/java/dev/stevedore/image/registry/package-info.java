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
 * <p>How a copier moves blobs fastest:
 * <ul>
 *   <li>registry to directory: {@code downloadBlob(image, blob, tempFile)} hashes while writing and
 *       verifies size and digest; then rename the temp file into place without hashing again. If the
 *       store insists on {@code writeBlob(InputStream)}, pass {@code openBlob(...)}: that stream does
 *       not hash, so the store's hash is the only one.</li>
 *   <li>directory to registry: {@code uploadBlob(image, blob, file)} lets the JDK send from the file
 *       and restarts a failed upload in a new session; {@code writeBlob(image, blob, stream)} works
 *       from any stream but gets one attempt. The registry verifies the digest; the client does not hash.</li>
 *   <li>registry to registry: {@code openBlob} from the source into {@code writeBlob} of the target.</li>
 *   <li>always {@code hasBlob} first, then {@code mountBlob} from a repository known to hold the blob
 *       on the same registry, and upload only when both say no.</li>
 * </ul>
 */
package dev.stevedore.image.registry;
