/**
 * Names: image references as Docker and KubeKey parse them, with the one Docker Hub rule
 * ({@link dev.stevedore.image.reference.DockerHubNames}), digests (the one SHA-256 factory), and platforms.
 */
package dev.stevedore.image.reference;
