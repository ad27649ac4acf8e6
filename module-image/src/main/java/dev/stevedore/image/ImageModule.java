package dev.stevedore.image;

import dev.stevedore.spi.ExecOptions;
import dev.stevedore.spi.Module;
import dev.stevedore.spi.ModuleResult;

/** The {@code image} task module: pulls, pushes and copies container images. */
public final class ImageModule implements Module {

    @Override
    public String name() {
        return "image";
    }

    @Override
    public ModuleResult execute(ExecOptions options) {
        return ModuleResult.failed("the image module is not implemented yet");
    }
}
