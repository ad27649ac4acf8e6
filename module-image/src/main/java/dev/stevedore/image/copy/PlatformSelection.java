package dev.stevedore.image.copy;

import dev.stevedore.image.reference.InvalidReferenceException;
import dev.stevedore.image.reference.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which platforms of an image to copy: all of them (no {@code platform} argument, or {@code all}), or
 * the listed ones. An invalid platform string is an error, never a silent "copy everything".
 *
 * @param platforms empty when {@link #all()}
 */
public record PlatformSelection(boolean all, List<Platform> platforms) {

    public static final PlatformSelection ALL = new PlatformSelection(true, List.of());

    public PlatformSelection {
        platforms = List.copyOf(platforms);
        if (!all && platforms.isEmpty()) {
            throw new InvalidReferenceException("no platform given: write 'all' or at least one os/architecture");
        }
    }

    /** From the strings of a {@code platform} argument: {@code all} alone, or platforms. */
    public static PlatformSelection parse(List<String> values) {
        if (values.isEmpty()) {
            throw new InvalidReferenceException("no platform given: write 'all' or at least one os/architecture such as linux/amd64");
        }
        if (values.stream().anyMatch("all"::equalsIgnoreCase)) {
            if (values.size() > 1) {
                throw new InvalidReferenceException("'all' cannot be combined with other platforms: " + values);
            }
            return ALL;
        }
        List<Platform> parsed = new ArrayList<>();
        for (String value : values) {
            Platform platform = Platform.parse(value);
            if (parsed.stream().noneMatch(p -> p.matches(platform))) {
                parsed.add(platform);
            }
        }
        return new PlatformSelection(false, parsed);
    }

    /** The requested platform a candidate satisfies, if any. */
    public Optional<Platform> match(Platform candidate) {
        if (all) {
            return Optional.of(candidate);
        }
        return platforms.stream().filter(p -> p.matches(candidate)).findFirst();
    }

    @Override
    public String toString() {
        return all ? "all" : platforms.toString();
    }
}
