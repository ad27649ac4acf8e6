/**
 * The bundle an operator carries across an air gap, and its integrity: the integrity manifest
 * ({@link dev.stevedore.image.bundle.IntegrityManifest}, {@code stevedore-bundle.json} at the root of a KubeKey
 * images directory) with its codec, the inventory that builds it after every pull
 * ({@link dev.stevedore.image.bundle.IntegrityManifests}, the closing step of a {@code local://} destination),
 * and the verifier ({@link dev.stevedore.image.bundle.BundleVerifier}) behind {@code stevedore verify BUNDLE}
 * ({@link dev.stevedore.image.bundle.VerifyCommand}) and the {@code image: {verify: ...}} task.
 *
 * <p>The verifier reads a bundle only through {@link dev.stevedore.image.bundle.BundleContents} (member names,
 * sizes, streams), so a bundle archive ({@link dev.stevedore.image.bundle.ArchiveContents}) verifies the same way
 * as {@link dev.stevedore.image.bundle.DirectoryContents}; {@link dev.stevedore.image.bundle.BundleVerification}
 * picks one and checks an archive's parts against their sums first. This package uses {@code store},
 * {@code store.archive}, {@code oci}, {@code reference}, {@code target} and {@code error}; none of them uses it: {@code DefaultTargets} wires the closing step in, and the task form ({@code VerifyTask}) lives
 * beside {@code ImageModule}, which reads the arguments.
 */
package dev.stevedore.image.bundle;
