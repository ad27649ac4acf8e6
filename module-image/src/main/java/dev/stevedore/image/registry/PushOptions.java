package dev.stevedore.image.registry;

/**
 * How a task pushes into registries, from its arguments {@code chunk_size} and {@code create_project}.
 *
 * @param chunkSize      0 to upload each blob in one request unless a registry refuses that, else
 *                       {@code PATCH} chunks of this many bytes ({@link UploadStrategy})
 * @param createProjects create a missing Harbor project before the first push into it ({@link HarborProjects})
 */
public record PushOptions(long chunkSize, boolean createProjects) {

    public PushOptions {
        if (chunkSize < 0) {
            throw new IllegalArgumentException("chunk size must not be negative, got " + chunkSize);
        }
    }

    /** One request per blob, no project created: what a task without either argument gets. */
    public static PushOptions defaults() {
        return new PushOptions(0, false);
    }

    public PushOptions withChunkSize(long size) {
        return new PushOptions(size, createProjects);
    }

    /** Missing Harbor projects are created through Harbor's API before the first push into them. */
    public PushOptions creatingProjects() {
        return new PushOptions(chunkSize, true);
    }
}
