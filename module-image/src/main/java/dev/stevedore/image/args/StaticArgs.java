package dev.stevedore.image.args;

import dev.stevedore.image.copy.ImageVariables;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.reference.InvalidReferenceException;
import dev.stevedore.spi.Templates;
import java.util.List;
import java.util.Optional;

/**
 * Reads raw argument values as they are before the run, for {@link ImageTaskArgs#check}: a value that is
 * a template is unknown and passes; any other is judged as the run would judge it.
 */
final class StaticArgs {

    /** Stands for the images a {@code namespace_override} is applied to, which are known only at run time. */
    private static final ImageReference SAMPLE = ImageReference.parse("registry.example.com/namespace/image:tag");

    private final Templates templates;

    StaticArgs(Templates templates) {
        this.templates = templates;
    }

    /** The text of a scalar that is not a template; empty for a template or nothing. */
    Optional<String> text(Object value) {
        if (value == null || value instanceof List<?> || value instanceof java.util.Map<?, ?>) {
            return Optional.empty();
        }
        String text = value.toString();
        return templates.isTemplate(text) ? Optional.empty() : Optional.of(text);
    }

    /** Whether a list argument is known to be empty: {@code []}, or a plain text that lists nothing. */
    boolean isEmptyList(Object value, String key) {
        if (value instanceof List<?> list) {
            return list.isEmpty();
        }
        return text(value).map(text -> ListText.parse(text, key).isEmpty()).orElse(false);
    }

    /** Parses every image reference of a {@code manifests} value that is not a template. */
    void references(Object value, String key) {
        List<?> items = value instanceof List<?> list ? list
                : text(value).map(text -> (List<?>) ListText.parse(text, key)).orElse(List.of());
        for (int i = 0; i < items.size(); i++) {
            Optional<String> reference = text(items.get(i));
            if (reference.isPresent()) {
                try {
                    ImageReference.parse(reference.get().strip());
                } catch (InvalidReferenceException e) {
                    throw new ArgumentException(key + "[" + i + "]: " + e.getMessage());
                }
            }
        }
    }

    /** Applies a {@code namespace_override} that is not a template to a sample image, as the run will to each. */
    void namespaceOverride(Object value, String key) {
        Optional<String> namespace = text(value);
        if (namespace.isPresent()) {
            try {
                ImageVariables.overrideNamespace(SAMPLE, namespace.get());
            } catch (InvalidReferenceException e) {
                throw new ArgumentException(key + " '" + namespace.get() + "' does not make a valid repository name: "
                        + e.getMessage());
            }
        }
    }
}
