package dev.stevedore.image.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DockerHubNamesTest {

    @Test
    void dockerHubHasThreeNamesAndOtherRegistriesOne() {
        assertTrue(DockerHubNames.isDockerHub("docker.io"));
        assertTrue(DockerHubNames.isDockerHub("registry-1.docker.io"));
        assertTrue(DockerHubNames.isDockerHub("index.docker.io"));
        assertFalse(DockerHubNames.isDockerHub("quay.io"));
        assertFalse(DockerHubNames.isDockerHub("mirror.docker.io.example.com"));
    }

    @Test
    void theCanonicalNameIsDockerIo() {
        ImageReference apiHost = new ImageReference("registry-1.docker.io", "library/nginx", "1.27", null);
        assertEquals(ImageReference.parse("nginx:1.27"), DockerHubNames.canonical(apiHost));
        ImageReference quay = ImageReference.parse("quay.io/a/b:1");
        assertEquals(quay, DockerHubNames.canonical(quay));
    }

    @Test
    void aDockerHubImageIsSpelledBothWaysForMatching() {
        assertEquals(List.of("docker.io/library/nginx:1.27", "registry-1.docker.io/library/nginx:1.27"),
                DockerHubNames.spellings(ImageReference.parse("nginx:1.27")));
        assertEquals(List.of("docker.io/library/nginx:1.27", "registry-1.docker.io/library/nginx:1.27"),
                DockerHubNames.spellings(new ImageReference("registry-1.docker.io", "library/nginx", "1.27", null)));
        assertEquals(List.of("quay.io/a/b:1"), DockerHubNames.spellings(ImageReference.parse("quay.io/a/b:1")));
    }
}
