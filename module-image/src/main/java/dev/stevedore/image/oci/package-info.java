/**
 * The OCI and Docker documents: descriptors, manifests and indexes kept byte-exact with their digest, their
 * parsing (missing {@code mediaType} included), media types, and the referrers API's index.
 */
package dev.stevedore.image.oci;
