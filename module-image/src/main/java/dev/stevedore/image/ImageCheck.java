package dev.stevedore.image;

import dev.stevedore.image.args.CopyTask;
import dev.stevedore.image.args.ImageTaskArgs;
import dev.stevedore.image.copy.CheckModeTargets;
import dev.stevedore.image.copy.CheckReport;
import dev.stevedore.image.copy.CheckedImage;
import dev.stevedore.image.copy.Copier;
import dev.stevedore.image.copy.CopyRequest;
import dev.stevedore.image.copy.CopyStep;
import dev.stevedore.image.copy.ImageResult;
import dev.stevedore.image.registry.TaskForm;
import dev.stevedore.spi.ExecOptions;
import dev.stevedore.spi.ModuleResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code image} module in a check run ({@code stevedore run --check}): each copy of the task (pull
 * before push in the classic form) is planned with {@link Copier#plan}, which reads sources and
 * destinations and writes nothing, and the task reports what a real run would do ({@link CheckReport}).
 *
 * <p>A classic task's push is planned from the images directory as it is now, before the pull has filled
 * it, so its forecast lists only what the directory already holds. When that planning fails after a pull
 * that has images to copy (the directory does not exist yet, say), the push is reported as not forecast,
 * with a warning, instead of as failed: a real run would find the directory filled.
 */
final class ImageCheck {

    private final ImageModule module;

    /** @param module opens the targets of each copy, as for a real run */
    ImageCheck(ImageModule module) {
        this.module = module;
    }

    ModuleResult run(List<CopyTask> tasks, ExecOptions options) {
        Copier copier = new Copier(options.templates(), options.log(), options.cancellation());
        TaskForm form = ImageTaskArgs.form(options.args());
        List<CheckedImage> images = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (CopyTask task : tasks) {
            CopyRequest request = task.request();
            if (options.cancellation().isCancelled()) {
                errors.add(request.label() + ": cancelled before it started");
                continue;
            }
            try {
                CheckModeTargets targets = new CheckModeTargets(module.targetsOf(task, form, options),
                        task.targets().push().createProjects());
                List<CheckedImage> planned = copier.plan(request, options.variables(), targets);
                images.addAll(planned);
            } catch (IOException | RuntimeException e) {
                String reason = request.label() + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                if (request.step() == CopyStep.PUSH && pullWouldCopy(images)) {
                    options.log().warn(reason + "; check mode cannot forecast the push before the pull has filled the images directory");
                } else {
                    errors.add(reason);
                }
            }
        }
        CheckReport report = new CheckReport(images, errors);
        report.print(options.log());
        return report.toResult();
    }

    /** Whether a pull planned before has images a real run would copy (into the directory the push reads). */
    private static boolean pullWouldCopy(List<CheckedImage> planned) {
        return planned.stream().anyMatch(image -> image.forecast().status() == ImageResult.Status.COPIED);
    }
}
