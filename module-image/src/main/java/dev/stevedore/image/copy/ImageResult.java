package dev.stevedore.image.copy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What happened to one image. {@link #toData()} is the entry of the registered {@code images} list.
 *
 * @param status      {@link Status#COPIED}, {@link Status#UNCHANGED}, {@link Status#SKIPPED} or {@link Status#FAILED}
 * @param digest      the digest the destination's tag points at (the filtered index's when filtered), or empty
 * @param blobs       what was done with the image's blobs, and their bytes
 * @param error       why the image failed or was skipped, else empty
 * @param note        what an operator should know about a copied image (an artifact has no platform), else empty
 * @param referrers   the signatures, SBOMs and attestations copied with it ({@code referrers: true}), else empty
 */
public record ImageResult(String source, String destination, Status status, String digest, String mediaType,
                          List<String> platforms, BlobCounts blobs, String error, String note, List<ReferrerResult> referrers) {

    public enum Status {
        /** Something was written: blobs, manifests or a tag. */
        COPIED,
        /** The destination already had the image; nothing was written. */
        UNCHANGED,
        /** Not copied on purpose (no requested platform, policy warn). */
        SKIPPED,
        /** Not copied: see {@code error}. */
        FAILED;

        String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ImageResult {
        platforms = List.copyOf(platforms);
        blobs = blobs == null ? BlobCounts.NONE : blobs;
        digest = digest == null ? "" : digest;
        mediaType = mediaType == null ? "" : mediaType;
        error = error == null ? "" : error;
        note = note == null ? "" : note;
        referrers = referrers == null ? List.of() : List.copyOf(referrers);
    }

    /** Without referrers: an image copied with {@code referrers} off, or one that failed. */
    public ImageResult(String source, String destination, Status status, String digest, String mediaType,
                       List<String> platforms, BlobCounts blobs, String error, String note) {
        this(source, destination, status, digest, mediaType, platforms, blobs, error, note, List.of());
    }

    /**
     * This result with the referrers copied with the image; an image that was up to date counts as copied
     * when one of its referrers was written.
     */
    public ImageResult withReferrers(List<ReferrerResult> copied) {
        Status newStatus = status == Status.UNCHANGED && copied.stream().anyMatch(ReferrerResult::copied) ? Status.COPIED : status;
        return new ImageResult(source, destination, newStatus, digest, mediaType, platforms, blobs, error, note, copied);
    }

    /**
     * This image failed after it was copied (its destination could not be finished): the failure's reason, with
     * what was written for it kept, so that the blobs and bytes still add up to what the copy moved.
     */
    public ImageResult failedAfterCopy(String reason) {
        return new ImageResult(source, destination, Status.FAILED, digest, mediaType, platforms, blobs, reason, note, referrers);
    }

    /** Whether blobs were written for this image, whatever its status. */
    public boolean wroteBlobs() {
        return blobs.copied() > 0 || blobs.mounted() > 0;
    }

    public static ImageResult failed(String source, String destination, String error) {
        return new ImageResult(source, destination, Status.FAILED, "", "", List.of(), BlobCounts.NONE, error, "");
    }

    public static ImageResult skipped(String source, String destination, String reason) {
        return new ImageResult(source, destination, Status.SKIPPED, "", "", List.of(), BlobCounts.NONE, reason, "");
    }

    /** The JSON-like map a playbook reads, e.g. {@code ${pulled.images[0].digest}}. */
    public Map<String, Object> toData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("source", source);
        data.put("destination", destination);
        data.put("status", status.text());
        data.put("digest", digest);
        data.put("media_type", mediaType);
        data.put("platforms", platforms);
        data.put("blobs_copied", blobs.copied());
        data.put("blobs_skipped", blobs.skipped());
        data.put("blobs_mounted", blobs.mounted());
        data.put("blobs_foreign", blobs.foreign());
        data.put("blobs_excluded", blobs.excluded());
        data.put("bytes", blobs.bytes());
        data.put("error", error);
        data.put("note", note);
        data.put("referrers", referrers.stream().map(ReferrerResult::toData).toList());
        return java.util.Collections.unmodifiableMap(data);
    }
}
