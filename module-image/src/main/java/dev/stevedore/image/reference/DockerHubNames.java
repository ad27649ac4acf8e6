package dev.stevedore.image.reference;

import java.util.List;
import java.util.Set;

/**
 * The names Docker Hub goes by. References name it {@code docker.io} (what Docker's normalization
 * writes), its Distribution API answers at {@code registry-1.docker.io}, and {@code index.docker.io} is
 * the old index's name ({@code registry.hub.docker.com} its web front's). Tools that write what they requested (KubeKey names its folders after the host
 * it sends requests to) therefore spell one image two ways; this is the one place that says they are
 * the same registry.
 */
public final class DockerHubNames {

    /** The old index's name, which Docker's own references still accept. */
    static final String INDEX = "index.docker.io";
    private static final Set<String> NAMES = Set.of(ImageReference.DOCKER_HUB, ImageReference.DOCKER_HUB_API_HOST, INDEX,
            "registry.hub.docker.com");

    private DockerHubNames() {
    }

    /** Whether {@code registry} is one of Docker Hub's names. */
    public static boolean isDockerHub(String registry) {
        return NAMES.contains(registry);
    }

    /** {@code docker.io} for any of Docker Hub's names (lower case), else {@code host} unchanged. */
    public static String canonicalHost(String host) {
        return isDockerHub(host) ? ImageReference.DOCKER_HUB : host;
    }

    /** The reference with Docker Hub named {@code docker.io}; any other registry unchanged. */
    public static ImageReference canonical(ImageReference image) {
        if (!isDockerHub(image.registry()) || image.registry().equals(ImageReference.DOCKER_HUB)) {
            return image;
        }
        return new ImageReference(ImageReference.DOCKER_HUB, image.repository(), image.tag(), image.digest());
    }

    /**
     * The image's name as text in every spelling a user may match against: for Docker Hub
     * {@code docker.io/...} and {@code registry-1.docker.io/...}, else just {@link ImageReference#toString()}.
     */
    public static List<String> spellings(ImageReference image) {
        if (!isDockerHub(image.registry())) {
            return List.of(image.toString());
        }
        ImageReference canonical = canonical(image);
        String rest = canonical.toString().substring(ImageReference.DOCKER_HUB.length());
        return List.of(canonical.toString(), ImageReference.DOCKER_HUB_API_HOST + rest);
    }
}
