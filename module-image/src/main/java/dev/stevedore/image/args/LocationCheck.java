package dev.stevedore.image.args;

import dev.stevedore.image.copy.CopyRequest;
import dev.stevedore.image.copy.ImageLocations;
import dev.stevedore.image.copy.InvalidLocationException;
import dev.stevedore.image.copy.Location;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.reference.InvalidReferenceException;
import dev.stevedore.image.store.StoreOptions.KubeKeyLayout;
import dev.stevedore.spi.Templates;
import java.util.Map;

/**
 * Renders a request's per-image {@code src} and {@code dest} once, for its first image (or a stand-in
 * when the images come from listing a directory), before any I/O, by the planner's own rule
 * ({@link ImageLocations}). A template that does not parse, an undefined variable, or a rendered location
 * that is not one, is then a one-line argument error naming the key, instead of the same failure repeated
 * for every image after the copy has started.
 *
 * @param src               the key {@code src} is written under, as the user wrote it ({@code image.src})
 * @param dest              the key of {@code dest} ({@code push.dest}, {@code copy.to.path}, ...)
 * @param namespaceOverride the key of {@code namespace_override}
 * @param layout            the key of {@code layout}, which only a KubeKey destination ({@code local://},
 *                          {@code archive://}) takes
 * @param partSize          the key of {@code max_part_size}, which only an {@code archive://} destination takes
 */
record LocationCheck(String src, String dest, String namespaceOverride, String layout, String partSize) {

    /** Stands for the images of a directory, which are known only once it is listed. */
    private static final ImageReference STAND_IN = ImageReference.parse("registry.example.com/namespace/image:tag");

    void check(CopyTask task, Templates templates, Map<String, Object> variables) {
        CopyRequest request = task.request();
        try {
            checkFor(request.manifests().isEmpty() ? STAND_IN : request.manifests().get(0), task, templates, variables);
        } catch (ArgumentException | InvalidLocationException e) {
            // Say which image the template was tried with when it is not one the user named.
            throw new ArgumentException(e.getMessage() + (request.manifests().isEmpty() ? " (for the sample image " + STAND_IN + ")" : ""));
        }
    }

    private void checkFor(ImageReference image, CopyTask task, Templates templates, Map<String, Object> variables) {
        CopyRequest request = task.request();
        ImageLocations locations = new ImageLocations(request.locations(), new ImageLocations.Keys(src, dest), templates, variables);
        try {
            if (request.locations().src() != null) {
                if (request.manifests().isEmpty()) {
                    locations.listedSource();
                } else {
                    locations.source(image);
                }
            }
            try {
                locations.renamed(image);
            } catch (InvalidReferenceException e) {
                throw new ArgumentException(namespaceOverride + " '" + request.locations().namespaceOverride()
                        + "' does not make a valid repository name: " + e.getMessage());
            }
            Location destination = locations.destination(image);
            KubeKeyLayout generation = task.targets().layout();
            boolean kubeKey = destination.kind() == Location.Kind.LOCAL || destination.kind() == Location.Kind.ARCHIVE;
            if (generation != KubeKeyLayout.AS_DIRECTORY && !kubeKey) {
                throw new ArgumentException(layout + " '" + generation.argument() + "' applies to a KubeKey images directory, but "
                        + dest + " is " + destination + "; remove " + layout + " or write to local://... or archive://...");
            }
            if (task.targets().maxPartSize() > 0 && destination.kind() != Location.Kind.ARCHIVE) {
                throw new ArgumentException(partSize + " applies to a bundle archive, but " + dest + " is " + destination
                        + "; remove " + partSize + " or write to archive://FILE.tar");
            }
        } catch (ImageLocations.UnrenderableException e) {
            throw ArgSpec.cannotRender(e.key().equals("src") ? src : dest, false, e.template());
        }
    }
}
