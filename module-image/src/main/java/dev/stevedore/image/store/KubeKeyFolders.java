package dev.stevedore.image.store;

import dev.stevedore.image.reference.DockerHubNames;
import dev.stevedore.image.reference.ImageReference;
import java.util.List;

/**
 * Which top-level folder of a KubeKey images directory holds a registry's images. KubeKey names it after
 * the host it sends requests to, so Docker Hub images live under {@code registry-1.docker.io/}; earlier
 * Stevedore versions wrote {@code docker.io/}, which is still read (after the first, so what KubeKey or a
 * current Stevedore wrote last wins).
 */
final class KubeKeyFolders {

    private KubeKeyFolders() {
    }

    /** The folder new manifests of {@code image} go into. */
    static String forWriting(ImageReference image) {
        return DockerHubNames.isDockerHub(image.registry()) ? ImageReference.DOCKER_HUB_API_HOST : image.registry();
    }

    /** The folders that may hold {@code image}'s manifests, in the order they are searched. */
    static List<String> forReading(ImageReference image) {
        return DockerHubNames.isDockerHub(image.registry())
                ? List.of(ImageReference.DOCKER_HUB_API_HOST, ImageReference.DOCKER_HUB)
                : List.of(image.registry());
    }
}
