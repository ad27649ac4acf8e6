package dev.stevedore.image.copy;

import dev.stevedore.image.reference.ImageReference;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables {@code src} and {@code dest} are rendered with for one image (contract 2.3): a copy of
 * the host's variables plus {@code module.image.reference.{registry,repository,reference}} and, as
 * KubeKey's classic push names them, {@code module.image.src.reference.*}. Both are always set, so a
 * template written for either form works in both. The host's own map is never modified.
 */
public final class ImageVariables {

    private ImageVariables() {
    }

    public static Map<String, Object> of(Map<String, Object> hostVariables, ImageReference image) {
        Map<String, Object> reference = new LinkedHashMap<>();
        reference.put("registry", image.registry());
        reference.put("repository", image.repository());
        reference.put("reference", image.reference());
        Map<String, Object> imageVars = new LinkedHashMap<>();
        imageVars.put("reference", Map.copyOf(reference));
        imageVars.put("src", Map.of("reference", Map.copyOf(reference)));
        Map<String, Object> module = new LinkedHashMap<>();
        if (hostVariables.get("module") instanceof Map<?, ?> existing) {
            existing.forEach((k, v) -> module.put(String.valueOf(k), v));
        }
        module.put("image", Map.copyOf(imageVars));
        Map<String, Object> variables = new HashMap<>(hostVariables);
        variables.put("module", java.util.Collections.unmodifiableMap(module));
        return java.util.Collections.unmodifiableMap(variables);
    }

    /**
     * Applies {@code namespace_override}: every path component of the repository but the last is
     * replaced, so {@code library/nginx} becomes {@code custom-ns/nginx}, and {@code nginx} too.
     */
    public static ImageReference overrideNamespace(ImageReference image, String namespace) {
        if (namespace == null) {
            return image;
        }
        String repository = image.repository();
        String last = repository.substring(repository.lastIndexOf('/') + 1);
        String trimmed = namespace.strip().replaceAll("^/+|/+$", "");
        return image.withRepository(trimmed.isEmpty() ? last : trimmed + "/" + last);
    }
}
