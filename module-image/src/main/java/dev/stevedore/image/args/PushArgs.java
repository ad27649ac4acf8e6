package dev.stevedore.image.args;

import dev.stevedore.image.registry.PushOptions;

/** The push options of a task form that has {@code chunk_size} and {@code create_project}. */
final class PushArgs {

    private PushArgs() {
    }

    static PushOptions of(ArgValues values) {
        PushOptions options = PushOptions.defaults();
        ByteSize chunk = values.size("chunk_size");
        if (chunk != null) {
            options = options.withChunkSize(chunk.bytes());
        }
        return Boolean.TRUE.equals(values.bool("create_project")) ? options.creatingProjects() : options;
    }
}
