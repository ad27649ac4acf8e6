package dev.stevedore.image.copy;

import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.target.ImageTarget;
import dev.stevedore.spi.Cancellation;
import dev.stevedore.spi.TaskLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tells each source target which images a copy will read from it, before planning reads any
 * ({@link ImageTarget#willRead}): a registry with a pull budget can then say whether the budget suffices,
 * a bundle archive checks its parts. A target that refuses stops the copy; what a target says about the
 * reads that is no refusal ({@link ImageTarget#readCaveat}) is a warning.
 */
final class PlannedReads {

    private PlannedReads() {
    }

    /** Returns the copy's source targets. */
    static Set<ImageTarget> announce(ImagePlanner planner, List<ImageReference> images, Targets targets, TaskLog log,
                                     Cancellation cancellation) throws IOException {
        Map<ImageTarget, List<ImageReference>> bySource = new LinkedHashMap<>();
        for (ImageReference image : images) {
            try {
                Location source = planner.sourceOf(image);
                bySource.computeIfAbsent(targets.of(source), target -> new ArrayList<>())
                        .add(source.isDirectory() ? image : source.reference());
            } catch (IOException | RuntimeException unplannable) {
                // Counted out: planning this image fails the same way and reports it for the image.
            }
        }
        for (Map.Entry<ImageTarget, List<ImageReference>> source : bySource.entrySet()) {
            source.getKey().willRead(source.getValue(), log, cancellation);
            source.getKey().readCaveat().ifPresent(log::warn);
        }
        return bySource.keySet();
    }
}
