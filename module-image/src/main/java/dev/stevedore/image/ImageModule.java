package dev.stevedore.image;

import dev.stevedore.image.args.ArgumentException;
import dev.stevedore.image.args.CopyTask;
import dev.stevedore.image.args.ImageArgSpecs;
import dev.stevedore.image.args.ImageTaskArgs;
import dev.stevedore.image.args.TargetSettings;
import dev.stevedore.image.bundle.VerifyCommand;
import dev.stevedore.image.copy.Copier;
import dev.stevedore.image.copy.CopyReceipt;
import dev.stevedore.image.copy.CopySummary;
import dev.stevedore.image.copy.ImageResult;
import dev.stevedore.image.copy.TargetFactory;
import dev.stevedore.image.registry.RegistrySettings;
import dev.stevedore.image.registry.TaskForm;
import dev.stevedore.image.store.StoreOptions;
import dev.stevedore.spi.CheckOptions;
import dev.stevedore.spi.ExecOptions;
import dev.stevedore.spi.Module;
import dev.stevedore.spi.ModuleCommand;
import dev.stevedore.spi.ModuleResult;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code image} task module: pulls, pushes and copies container images in both of KubeKey's task
 * forms (see {@code docs/image-module.md}). Arguments are validated completely before any I/O; then
 * each copy (pull before push in the classic form) runs through the one {@link Copier}.
 */
public final class ImageModule implements Module {

    private final TargetProvider targets;

    /** The module as the engine loads it. */
    public ImageModule() {
        this(new DefaultTargets());
    }

    /** A module copying between the targets {@code targets} provides (tests pass in-memory ones). */
    public ImageModule(TargetProvider targets) {
        this.targets = Objects.requireNonNull(targets, "targets");
    }

    @Override
    public String name() {
        return "image";
    }

    @Override
    public String description() {
        return ImageArgSpecs.DESCRIPTION;
    }

    @Override
    public String documentation() {
        return ImageArgSpecs.reference();
    }

    /** {@code stevedore receipt} ({@link ReceiptCommand}) and {@code stevedore verify BUNDLE} ({@link VerifyCommand}). */
    @Override
    public List<ModuleCommand> commands() {
        return List.of(new ReceiptCommand(targets, Clock.systemUTC()), new VerifyCommand());
    }

    @Override
    public List<String> check(CheckOptions options) {
        if (VerifyTask.isVerify(options.args())) {
            return VerifyTask.check(options);
        }
        try {
            ImageTaskArgs.check(options.args(), options.templates());
            return List.of();
        } catch (ArgumentException e) {
            return List.of("image: " + e.getMessage());
        }
    }

    /** A check run plans every copy and writes nothing ({@link ImageCheck}). */
    @Override
    public boolean supportsCheckMode() {
        return true;
    }

    @Override
    public ModuleResult execute(ExecOptions options) {
        if (VerifyTask.isVerify(options.args())) {
            return VerifyTask.execute(options);
        }
        List<CopyTask> tasks;
        try {
            tasks = ImageTaskArgs.parse(options.args(), options.templates(), options.variables());
        } catch (ArgumentException e) {
            return ModuleResult.failed("image: " + e.getMessage());
        }
        if (options.checkMode()) {
            return new ImageCheck(this).run(tasks, options);
        }
        Copier copier = new Copier(options.templates(), options.log(), options.cancellation());
        TaskForm form = ImageTaskArgs.form(options.args());
        List<ImageResult> images = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (CopyTask task : tasks) {
            String label = task.request().label();
            if (options.cancellation().isCancelled()) {
                errors.add(label + ": cancelled before it started");
                continue;
            }
            TargetFactory bound;
            List<ImageResult> copied;
            try {
                bound = targetsOf(task, form, options);
                copied = copier.copy(task.request(), options.variables(), bound);
                images.addAll(copied);
            } catch (IOException | RuntimeException e) {
                errors.add(label + ": " + Copier.reason(e)); // a cancelled parts check says so, as an image does
                continue;
            }
            try {
                CopyReceipt.write(bound, task.request(), copied, Clock.systemUTC());
            } catch (IOException | RuntimeException e) {
                errors.add(label + ": after the copy, " + Copier.reason(e)); // the images keep their results
            }
        }
        CopySummary summary = new CopySummary(images, errors);
        options.log().info("image: " + summary.summary());
        return summary.toResult();
    }

    /** The factory of one copy's targets: its registry settings (reporting to the task's log) and store options. */
    TargetFactory targetsOf(CopyTask task, TaskForm form, ExecOptions options) {
        TargetSettings settings = task.targets();
        RegistrySettings registries = RegistrySettings.defaults(settings.auths()).withSkipTlsVerify(settings.skipTlsVerify())
                .withPush(settings.push()).withForm(form).withEvents(new LoggedRegistryEvents(options.log()));
        StoreOptions stores = StoreOptions.defaults().withNewRepositories(settings.layout()).withMaxPartSize(settings.maxPartSize());
        return targets.bind(registries, stores);
    }
}
