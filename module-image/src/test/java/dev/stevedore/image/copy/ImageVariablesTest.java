package dev.stevedore.image.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.testing.FakeTemplates;
import dev.stevedore.spi.TemplateException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageVariablesTest {

    private final FakeTemplates templates = new FakeTemplates();

    @Test
    void bothFormsOfPerImageVariablesAreSet() {
        Map<String, Object> vars = ImageVariables.of(Map.of("site", "dc1"), ImageReference.parse("quay.io/prometheus/prometheus:v2.45.0"));
        assertEquals("quay.io|prometheus/prometheus|v2.45.0|dc1", templates.renderString(
                "${module.image.reference.registry}|${module.image.reference.repository}|${module.image.reference.reference}|${site}", vars));
        assertEquals("quay.io|prometheus/prometheus|v2.45.0", templates.renderString(
                "${module.image.src.reference.registry}|${module.image.src.reference.repository}|${module.image.src.reference.reference}", vars));
    }

    @Test
    void theReferenceOfAnImageByDigestIsItsDigest() {
        String digest = "sha256:" + "a".repeat(64);
        Map<String, Object> vars = ImageVariables.of(Map.of(), ImageReference.parse("nginx@" + digest));
        assertEquals(digest, templates.renderString("${module.image.reference.reference}", vars));
    }

    @Test
    void theHostVariablesAreNotModified() {
        Map<String, Object> host = new HashMap<>(Map.of("module", Map.of("other", "kept"), "x", 1));
        Map<String, Object> before = Map.copyOf(host);
        Map<String, Object> vars = ImageVariables.of(host, ImageReference.parse("nginx"));
        assertEquals(before, host);
        assertEquals("kept", templates.renderString("${module.other}", vars), "other module.* variables stay visible");
    }

    @Test
    void namespaceOverrideReplacesAllPathComponentsButTheLast() {
        assertEquals("custom-ns/nginx", ImageVariables.overrideNamespace(ImageReference.parse("nginx"), "custom-ns").repository());
        assertEquals("custom-ns/c", ImageVariables.overrideNamespace(ImageReference.parse("r.io/a/b/c:1"), "custom-ns").repository());
        assertEquals("x/y/c", ImageVariables.overrideNamespace(ImageReference.parse("r.io/a/b/c:1"), "/x/y/").repository());
        assertEquals("r.io/a/b/c:1", ImageVariables.overrideNamespace(ImageReference.parse("r.io/a/b/c:1"), null).toString());
    }

    @Test
    void anUndefinedVariableIsNamed() {
        TemplateException e = assertThrows(TemplateException.class,
                () -> templates.renderString("${module.image.nope}", ImageVariables.of(Map.of(), ImageReference.parse("nginx"))));
        assertEquals("module.image.nope", e.variable());
    }
}
