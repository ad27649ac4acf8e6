package dev.stevedore.image.copy;

import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.target.ImageTarget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells each source target which images a copy will read from it, before planning reads any
 * ({@link ImageTarget#willRead}): a registry with a pull budget can then say whether the budget suffices.
 */
final class PlannedReads {

    private PlannedReads() {
    }

    static void announce(ImagePlanner planner, List<ImageReference> images, Targets targets) {
        Map<ImageTarget, List<ImageReference>> bySource = new LinkedHashMap<>();
        for (ImageReference image : images) {
            try {
                Location source = planner.sourceOf(image);
                if (!source.isDirectory()) {
                    bySource.computeIfAbsent(targets.of(source), target -> new ArrayList<>()).add(source.reference());
                }
            } catch (IOException | RuntimeException unplannable) {
                // Counted out: planning this image fails the same way and reports it for the image.
            }
        }
        bySource.forEach(ImageTarget::willRead);
    }
}
