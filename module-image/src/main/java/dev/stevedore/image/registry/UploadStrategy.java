package dev.stevedore.image.registry;

/**
 * How blobs go up to one registry, for the rest of a task. By default each blob is one streaming
 * {@code PUT}, the fewest round trips; with a chunk size from the task, {@code PATCH} chunks. A registry
 * that refuses a blob in one request (413, as a proxy's body limit answers, or {@code BLOB_UPLOAD_INVALID})
 * is switched to chunks, remembered so later blobs do not pay the refusal again; a chunk still too large
 * is halved. A registry that never asks is never chunked. The registry's {@code OCI-Chunk-Min-Length}
 * is honoured.
 */
final class UploadStrategy {

    /** The first chunk size after a refusal: small enough for common proxy limits, large enough to be quick. */
    static final long FALLBACK_CHUNK = 4L << 20;
    /** Below this, halving is given up: the registry refuses something other than the size. */
    static final long SMALLEST_CHUNK = 64L << 10;

    private final String host;
    private final RegistryEvents events;
    private volatile long chunkSize;

    /** @param configured the task's chunk size, 0 for one request per blob */
    UploadStrategy(String host, long configured, RegistryEvents events) {
        this.host = host;
        this.events = events;
        this.chunkSize = Math.max(0, configured);
    }

    /** 0 for one request, else the PATCH size, at least what the registry says it needs. */
    long chunkSize(long registryMinimum) {
        long size = chunkSize;
        return size == 0 ? 0 : Math.max(size, registryMinimum);
    }

    /**
     * Whether {@code refusal} of an upload sent with {@code triedChunk} (0: one request) means the size was
     * refused; if so the strategy changes and the upload may start over.
     */
    synchronized boolean adaptTo(RegistryException refusal, long triedChunk) {
        boolean tooLarge = refusal.status() == 413;
        if (triedChunk == 0 && (tooLarge || refusal.hasCode("BLOB_UPLOAD_INVALID"))) {
            if (chunkSize == 0) {
                chunkSize = FALLBACK_CHUNK;
                events.uploadsChunked(host, refusal.status() == 413 ? "HTTP 413" : "BLOB_UPLOAD_INVALID", FALLBACK_CHUNK);
            }
            return true;
        }
        if (triedChunk > 0 && tooLarge && triedChunk / 2 >= SMALLEST_CHUNK) {
            if (chunkSize >= triedChunk) {
                chunkSize = triedChunk / 2;
                events.uploadsChunked(host, "HTTP 413 for a chunk", chunkSize);
            }
            return true;
        }
        return false;
    }
}
