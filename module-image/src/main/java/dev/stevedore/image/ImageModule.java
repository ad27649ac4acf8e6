package dev.stevedore.image;

import dev.stevedore.image.args.ArgumentException;
import dev.stevedore.image.args.ImageArgSpecs;
import dev.stevedore.image.args.ImageTaskArgs;
import dev.stevedore.image.copy.Copier;
import dev.stevedore.image.copy.CopyReceipt;
import dev.stevedore.image.copy.CopyRequest;
import dev.stevedore.image.copy.CopySummary;
import dev.stevedore.image.copy.ImageResult;
import dev.stevedore.image.copy.DefaultTargets;
import dev.stevedore.image.copy.TargetFactory;
import dev.stevedore.image.registry.RegistrySettings;
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

    private final TargetFactory targets;

    /** The module as the engine loads it. */
    public ImageModule() {
        this(new DefaultTargets());
    }

    /** A module copying between the targets {@code targets} opens (tests pass in-memory ones). */
    public ImageModule(TargetFactory targets) {
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

    /** {@code stevedore receipt}: see {@link ReceiptCommand}. */
    @Override
    public List<ModuleCommand> commands() {
        return List.of(new ReceiptCommand(targets, Clock.systemUTC()));
    }

    @Override
    public List<String> check(CheckOptions options) {
        try {
            ImageTaskArgs.check(options.args(), options.templates());
            return List.of();
        } catch (ArgumentException e) {
            return List.of("image: " + e.getMessage());
        }
    }

    @Override
    public ModuleResult execute(ExecOptions options) {
        List<CopyRequest> requests;
        try {
            requests = ImageTaskArgs.parse(options.args(), options.templates(), options.variables());
        } catch (ArgumentException e) {
            return ModuleResult.failed("image: " + e.getMessage());
        }
        Copier copier = new Copier(targets, options.templates(), options.log(), options.cancellation());
        List<ImageResult> images = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (CopyRequest request : requests) {
            if (options.cancellation().isCancelled()) {
                errors.add(request.label() + ": cancelled before it started");
                continue;
            }
            try {
                RegistrySettings settings = settings(request).withForm(ImageTaskArgs.form(options.args()))
                        .withEvents(new LoggedRegistryEvents(options.log()));
                List<ImageResult> copied = copier.copy(request, options.variables(), settings);
                images.addAll(copied);
                CopyReceipt.write(targets, settings, request, copied, Clock.systemUTC());
            } catch (IOException | RuntimeException e) {
                errors.add(request.label() + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        CopySummary summary = new CopySummary(images, errors);
        options.log().info("image: " + summary.summary());
        return summary.toResult();
    }

    private static RegistrySettings settings(CopyRequest request) {
        RegistrySettings defaults = RegistrySettings.defaults(request.auths());
        return new RegistrySettings(request.auths(), request.skipTlsVerify(), defaults.connectTimeout(),
                defaults.readTimeout(), defaults.maxAttempts(), defaults.maxRetryTime(), defaults.environment(),
                defaults.dockerConfigDir()).withPush(request.push());
    }
}
