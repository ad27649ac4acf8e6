package dev.stevedore.image.copy;

import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.target.LocationSchemes;
import dev.stevedore.spi.TemplateException;
import dev.stevedore.spi.Templates;
import java.util.Map;

/**
 * The one rule that renders a request's {@code src} and {@code dest} into the locations of one image: the
 * up-front argument check ({@code args.LocationCheck}) and the planner both use it, so what the check
 * accepts is what the copy does.
 *
 * <ul>
 *   <li>{@code src} is rendered with the image's variables ({@link ImageVariables}); the directory a request
 *       without manifests lists is rendered with the host's variables only, since no image is known yet.</li>
 *   <li>Without {@code src}, an image is read from its own registry.</li>
 *   <li>{@code namespace_override} renames the image first; {@code dest} is rendered for the renamed image.</li>
 * </ul>
 *
 * <p>Failures are unchecked, for the caller to word: {@link UnrenderableException} for a template that does
 * not render, {@link InvalidLocationException} for a rendered text that is no location, and
 * {@link dev.stevedore.image.reference.InvalidReferenceException} for a namespace that makes no valid name.
 */
public final class ImageLocations {

    /**
     * The argument names that parse errors quote.
     *
     * @param src  how the user's task names {@code src} ({@code image.src}, {@code push.images_dir}, ...)
     * @param dest how it names {@code dest}
     */
    public record Keys(String src, String dest) {
    }

    private final LocationTemplates locations;
    private final Keys keys;
    private final Templates templates;
    private final Map<String, Object> hostVariables;

    public ImageLocations(LocationTemplates locations, Keys keys, Templates templates, Map<String, Object> hostVariables) {
        this.locations = locations;
        this.keys = keys;
        this.templates = templates;
        this.hostVariables = hostVariables;
    }

    /** The directory whose images a request without manifests copies. */
    public Location listedSource() {
        return Location.parse(render(locations.src(), hostVariables, "src", null), keys.src());
    }

    /** Where {@code image} is read from: its own registry, or {@code src} rendered for it. */
    public Location source(ImageReference image) {
        return locations.src() == null
                ? new Location(Location.Kind.REGISTRY, image, null)
                : Location.parse(render(locations.src(), ImageVariables.of(hostVariables, image), "src", image), keys.src());
    }

    /** The name {@code image} gets at the destination: its own, or with {@code namespace_override}'s namespace. */
    public ImageReference renamed(ImageReference image) {
        return ImageVariables.overrideNamespace(image, locations.namespaceOverride());
    }

    /** Where {@code image} is written: {@code dest} rendered for its {@link #renamed} name. */
    public Location destination(ImageReference image) {
        ImageReference renamed = renamed(image);
        return Location.parse(render(locations.dest(), ImageVariables.of(hostVariables, renamed), "dest", image), keys.dest());
    }

    /** Where an image comes from, for the result of an image that could not be planned: best effort. */
    public String describeSource(ImageReference image) {
        return locations.src() == null ? LocationSchemes.OCI + image : describe(locations.src(), image, image, "src");
    }

    /** Where an image would go, for the result of an image that could not be planned: best effort. */
    public String describeDestination(ImageReference image) {
        ImageReference renamed;
        try {
            renamed = renamed(image);
        } catch (IllegalArgumentException e) {
            return locations.dest();
        }
        return describe(locations.dest(), renamed, image, "dest");
    }

    private String describe(String template, ImageReference variablesOf, ImageReference image, String key) {
        String rendered;
        try {
            rendered = render(template, ImageVariables.of(hostVariables, variablesOf), key, image).strip();
        } catch (UnrenderableException e) {
            return template;
        }
        boolean directory = Location.namesStore(rendered);
        return directory ? rendered + "#" + variablesOf : rendered;
    }

    private String render(String template, Map<String, Object> variables, String key, ImageReference image) {
        try {
            return templates.renderString(template, variables);
        } catch (TemplateException e) {
            throw new UnrenderableException(key, image, e);
        }
    }

    /**
     * {@code src} or {@code dest} did not render.
     *
     * @see #key() {@code src} or {@code dest}
     * @see #image() the image it was rendered for, or null for the listed directory
     */
    public static final class UnrenderableException extends RuntimeException {
        private final String key;
        private final transient ImageReference image;

        UnrenderableException(String key, ImageReference image, TemplateException cause) {
            super(cause.getMessage(), cause);
            this.key = key;
            this.image = image;
        }

        public String key() {
            return key;
        }

        public ImageReference image() {
            return image;
        }

        public TemplateException template() {
            return (TemplateException) getCause();
        }
    }
}
