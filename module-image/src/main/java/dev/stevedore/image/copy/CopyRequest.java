package dev.stevedore.image.copy;

import dev.stevedore.image.reference.ImageReference;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One copy the module performs, whatever task form it came from: the copier's only input. What the targets
 * need (registry credentials, push and store options) is not here: the target factory the copier is given
 * is bound to them.
 *
 * @param step      {@code pull}, {@code push} or {@code copy}: names the step in messages
 * @param manifests the images to copy; empty means every image of a directory source
 * @param pattern   keeps only images whose name {@code registry/repository:tag} matches; null for all
 * @param locations {@code src}, {@code dest} and {@code namespace_override}, rendered per image
 * @param platforms which platforms to copy
 * @param policy    what a missing platform does
 * @param options   foreign layers, concurrency, referrers
 */
public record CopyRequest(CopyStep step, List<ImageReference> manifests, Pattern pattern, LocationTemplates locations,
                          PlatformSelection platforms, Policy policy, CopyOptions options) {

    public CopyRequest {
        Objects.requireNonNull(step, "step");
        manifests = List.copyOf(manifests);
        Objects.requireNonNull(locations, "locations");
        Objects.requireNonNull(platforms, "platforms");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(options, "options");
    }

    /** {@code pull}, {@code push} or {@code copy}, for messages. */
    public String label() {
        return step.label();
    }

    /** Patterns have no value equality; compare them by their source so that requests can be compared in tests. */
    @Override
    public boolean equals(Object other) {
        return other instanceof CopyRequest that && step == that.step && manifests.equals(that.manifests)
                && Objects.equals(pattern == null ? null : pattern.pattern(), that.pattern == null ? null : that.pattern.pattern())
                && locations.equals(that.locations) && platforms.equals(that.platforms) && policy == that.policy
                && options.equals(that.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(step, manifests, locations, platforms, policy, options);
    }
}
