package dev.stevedore.image.copy;

import dev.stevedore.image.reference.Digest;
import java.util.HashSet;
import java.util.Set;

/**
 * What a copy's planning found, image by image, for its log line: how many images are to copy, with how many
 * distinct blobs, how many are up to date, and how many cannot be copied. Thread-safe: images are planned in
 * parallel.
 */
final class PlanTally {

    private int planned;
    private int toCopy;
    private int upToDate;
    private final Set<Digest> distinctBlobs = new HashSet<>();

    synchronized void add(PlanOutcome outcome) {
        planned++;
        if (outcome instanceof PlanOutcome.ToCopy copy) {
            if (copy.plan().upToDate()) {
                upToDate++;
            } else {
                toCopy++;
                copy.plan().blobs().forEach(blob -> distinctBlobs.add(blob.digest()));
            }
        }
    }

    /** {@code pull: 3 images planned, 2 to copy with 5 distinct blobs, 1 already up to date, 0 not copyable}. */
    synchronized String line(String label) {
        return label + ": " + planned + " images planned, " + toCopy + " to copy with " + distinctBlobs.size()
                + " distinct blobs, " + upToDate + " already up to date, " + (planned - toCopy - upToDate) + " not copyable";
    }
}
