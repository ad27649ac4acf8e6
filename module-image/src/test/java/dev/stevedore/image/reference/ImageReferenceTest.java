package dev.stevedore.image.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reference parsing and normalization as Docker's ParseNormalizedNamed does it. */
class ImageReferenceTest {

    static final String HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @ParameterizedTest(name = "{0} -> {1} / {2} : {3} @ {4}")
    @CsvSource(nullValues = "-", value = {
            "nginx,                                   docker.io, library/nginx,              latest, -",
            "nginx:1.27,                              docker.io, library/nginx,              1.27,   -",
            "library/nginx,                           docker.io, library/nginx,              latest, -",
            "docker.io/nginx,                         docker.io, library/nginx,              latest, -",
            "docker.io/library/nginx:alpine,          docker.io, library/nginx,              alpine, -",
            "index.docker.io/nginx,                   docker.io, library/nginx,              latest, -",
            "index.docker.io/bitnami/redis:7,         docker.io, bitnami/redis,              7,      -",
            "bitnami/redis,                           docker.io, bitnami/redis,              latest, -",
            "a/b/c/d,                                 docker.io, a/b/c/d,                    latest, -",
            "quay.io/prometheus/prometheus:v2.45.0,   quay.io,   prometheus/prometheus,      v2.45.0, -",
            "localhost/app,                           localhost, app,                        latest, -",
            "localhost:5000/app:dev,                  localhost:5000, app,                   dev,    -",
            "127.0.0.1:5000/team/app,                 127.0.0.1:5000, team/app,              latest, -",
            "registry.example.com/a/b/c:tag_1,        registry.example.com, a/b/c,           tag_1,  -",
            "Registry/app,                            Registry,  app,                        latest, -",
            "my-registry.local:443/x,                 my-registry.local:443, x,              latest, -",
            "[::1]:5000/app:1,                        [::1]:5000, app,                       1,      -",
            "foo/bar__baz,                            docker.io, foo/bar__baz,               latest, -",
            "foo/bar---baz,                           docker.io, foo/bar---baz,              latest, -",
            "foo/bar.baz_qux,                         docker.io, foo/bar.baz_qux,            latest, -",
            "nginx:Tag.With-Dots_and_CAPS,            docker.io, library/nginx,              Tag.With-Dots_and_CAPS, -",
            "nginx:_underscore,                       docker.io, library/nginx,              _underscore, -",
            "localhost:5000,                          docker.io, library/localhost,          5000,   -",
            "docker.io,                               docker.io, library/docker.io,          latest, -",
    })
    void validReferencesNormalizeAsDockerDoes(String text, String registry, String repository, String tag, String digest) {
        ImageReference reference = ImageReference.parse(text);
        assertEquals(registry, reference.registry());
        assertEquals(repository, reference.repository());
        assertEquals(tag, reference.tag());
        assertEquals(digest, reference.digest() == null ? null : reference.digest().toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
            "nginx@sha256:" + HEX + ",                     -,   docker.io/library/nginx@sha256:" + HEX,
            "nginx:1.27@sha256:" + HEX + ",                1.27, docker.io/library/nginx:1.27@sha256:" + HEX,
            "localhost:5000/a/b@sha256:" + HEX + ",        -,   localhost:5000/a/b@sha256:" + HEX,
            "quay.io/x/y:v1@sha256:" + HEX + ",            v1,  quay.io/x/y:v1@sha256:" + HEX,
    })
    void digestReferencesKeepTheTagWhenGiven(String text, String tag, String canonical) {
        ImageReference reference = ImageReference.parse(text);
        assertEquals(tag, reference.tag());
        assertEquals("sha256:" + HEX, reference.digest().toString());
        assertEquals("sha256:" + HEX, reference.reference());
        assertEquals(canonical, reference.toString());
        assertEquals(reference, ImageReference.parse(reference.toString()));
    }

    @ParameterizedTest(name = "''{0}'' is rejected naming ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "''                                  | empty",
            "'  '                                | empty",
            "' nginx'                            | white space",
            "nginx:                              | empty tag",
            "nginx:-dash                         | invalid tag",
            "nginx:.dot                          | invalid tag",
            "nginx:has/slash                     | invalid registry host",
            "Nginx                               | must be lowercase",
            "docker.io/Library/nginx             | must be lowercase",
            "foo/-bar                            | invalid repository path component",
            "foo/bar-                            | invalid repository path component",
            "foo/bar_-baz                        | invalid repository path component",
            "foo/bar___baz                       | invalid repository path component",
            "foo//bar                            | empty path component",
            "foo/../bar                          | invalid repository path component",
            "localhost:5000/                     | empty",
            "/nginx                              | empty",
            "nginx@                              | empty digest",
            "nginx@sha256:abc                    | 64",
            "nginx@sha256:" + "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF" + " | 64",
            "nginx@sha512:" + "00" + "        | only sha256",
            "nginx@md5                           | sha256",
            "exa_mple.com:5000/app               | invalid",
            "reg.io:123456/app                   | invalid registry",
            "nginx:" + "t23456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789 | invalid tag",
    })
    void invalidReferencesAreRejectedWithTheWrongPartNamed(String text, String expected) {
        InvalidReferenceException e = assertThrows(InvalidReferenceException.class, () -> ImageReference.parse(text));
        assertTrue(e.getMessage().toLowerCase().contains(expected.toLowerCase()), e.getMessage());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "nginx,                     registry-1.docker.io",
            "docker.io/library/nginx,   registry-1.docker.io",
            "quay.io/a/b,               quay.io",
            "localhost:5000/a,          localhost:5000",
    })
    void dockerHubIsReachedAtItsApiHost(String text, String apiHost) {
        assertEquals(apiHost, ImageReference.parse(text).apiHost());
    }

    @ParameterizedTest(name = "{0} has namespace ''{1}''")
    @CsvSource(nullValues = "-", value = {
            "nginx,                     library",
            "quay.io/a/b/c,             a/b",
            "localhost:5000/app,        ''",
    })
    void theNamespaceIsEveryPathComponentButTheLast(String text, String namespace) {
        assertEquals(namespace == null ? "" : namespace, ImageReference.parse(text).namespace());
    }

    @org.junit.jupiter.api.Test
    void aNameLongerThan255CharactersIsRejected() {
        String longName = "a".repeat(250) + "/bcdefg";
        InvalidReferenceException e = assertThrows(InvalidReferenceException.class, () -> ImageReference.parse(longName));
        assertTrue(e.getMessage().contains("longer than 255"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void withDigestDropsTheTagAndWithTagDropsTheDigest() {
        ImageReference reference = ImageReference.parse("quay.io/a/b:1@sha256:" + HEX);
        ImageReference byDigest = reference.withDigest(Digest.parse("sha256:" + HEX));
        assertNull(byDigest.tag());
        assertEquals("quay.io/a/b@sha256:" + HEX, byDigest.toString());
        assertEquals("quay.io/a/b:2", reference.withTag("2").toString());
        assertEquals("quay.io/c/b:1@sha256:" + HEX, reference.withRepository("c/b").toString());
    }
}
