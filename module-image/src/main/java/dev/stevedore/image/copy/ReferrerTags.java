package dev.stevedore.image.copy;

import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The tags under which referrers live where no referrers API lists them: the referrers tag schema's
 * {@code sha256-<hex>} (distribution-spec 1.1: {@code <alg>-<ref>}, an index of the digest's referrers) and
 * cosign's {@code sha256-<hex>.sig}, {@code .att} and {@code .sbom} (cosign's tag-based storage: the
 * signature, attestation and SBOM of the image with that digest, manifests without a {@code subject}).
 */
final class ReferrerTags {

    /** cosign's suffixes, in the order cosign documents them. */
    static final List<String> COSIGN_SUFFIXES = List.of("sig", "att", "sbom");

    private static final Pattern REFERRER_TAG = Pattern.compile("sha256-[a-f0-9]{64}(?:\\.(?:sig|att|sbom))?");

    private ReferrerTags() {
    }

    /** The tag schema's tag for {@code subject}. */
    static String fallbackTag(Digest subject) {
        return Digest.ALGORITHM + "-" + subject.hex();
    }

    static String cosignTag(Digest subject, String suffix) {
        return fallbackTag(subject) + "." + suffix;
    }

    /**
     * Whether an image of a directory listing is one of these tags: with {@code referrers: true} it travels
     * with the image it refers to, so it is not copied as an image of its own.
     */
    static boolean isReferrerTag(ImageReference image) {
        return image.tag() != null && REFERRER_TAG.matcher(image.tag()).matches();
    }
}
