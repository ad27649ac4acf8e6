package dev.stevedore.image.args;

import dev.stevedore.image.copy.CopyRequest;
import java.util.Objects;

/**
 * One copy an {@code image} task runs (the classic form has a pull and a push): what the copier does, and the
 * settings of the targets it does it between.
 */
public record CopyTask(CopyRequest request, TargetSettings targets) {

    public CopyTask {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(targets, "targets");
    }
}
