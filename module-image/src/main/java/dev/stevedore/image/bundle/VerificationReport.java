package dev.stevedore.image.bundle;

import java.util.List;
import java.util.Objects;

/**
 * What {@link BundleVerifier} found.
 *
 * @param bundle            what was verified ({@link BundleContents#describe()})
 * @param blobs             blob members re-hashed
 * @param bytes             their total size
 * @param manifests         manifest files read
 * @param images            images listed (tags, and images stored by digest only)
 * @param integrityManifest whether the bundle has an integrity manifest ({@value IntegrityManifest#FILE_NAME})
 * @param problems          every missing, corrupt, extra or incomplete item, one each, in the order found
 * @param notes             what is worth saying but is not wrong (no integrity manifest, foreign layers)
 */
public record VerificationReport(String bundle, int blobs, long bytes, int manifests, int images, boolean integrityManifest,
                                 List<Problem> problems, List<String> notes) {

    public VerificationReport {
        Objects.requireNonNull(bundle, "bundle");
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }

    /** One item that is wrong, by its member name ({@code blobs/sha256:<hex>}) or as {@code image <name>}. */
    public record Problem(String item, String what) {
        public Problem {
            Objects.requireNonNull(item, "item");
            Objects.requireNonNull(what, "what");
        }

        @Override
        public String toString() {
            return item + ": " + what;
        }
    }

    public boolean intact() {
        return problems.isEmpty();
    }

    /**
     * Whether nothing a pull writes was found, so that what was given is not a bundle (a wrong path): then
     * {@link BundleVerifier}'s one problem is the bundle's own, named as the bundle, and the advice is to check
     * the path, not to copy parts or pull images again.
     */
    public boolean notABundle() {
        return blobs == 0 && manifests == 0 && !integrityManifest && problems.size() == 1 && problems.get(0).item().equals(bundle);
    }

    /** One line: what was checked and whether it is all there. */
    public String summary() {
        String checked = count(blobs, "blob") + " (" + count(bytes, "byte") + "), " + count(manifests, "manifest") + " and "
                + count(images, "image") + " of " + bundle;
        return intact() ? "verified " + checked + ": all present and intact" : count(problems.size(), "problem") + " in " + checked;
    }

    private static String count(long n, String noun) {
        return n + " " + (n == 1 ? noun : noun + "s");
    }
}
