package dev.stevedore.image.copy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One referrer (a signature, SBOM or attestation) copied with an image ({@code referrers: true}); an entry
 * of the image result's {@code referrers} list.
 *
 * @param digest       the referrer manifest's digest, the same at source and destination
 * @param artifactType its {@code artifactType} (or config media type): what kind of thing it is
 * @param subject      the digest of the manifest it refers to
 * @param found        how the source gave it: {@code referrers_api}, {@code tag_schema} or {@code cosign_tag}
 * @param tag          the cosign tag it is stored under, else empty
 * @param pushed       how the destination holds it: {@code referrers_api} (the registry indexed its
 *                     subject), {@code tag_schema} (entered in the {@code sha256-<hex>} index) or {@code tag}
 * @param copied       whether anything was written for it; false when the destination already had it
 */
public record ReferrerResult(String digest, String mediaType, String artifactType, String subject, String found, String tag,
                             String pushed, boolean copied) {

    /** The map a playbook reads, e.g. {@code ${pulled.images[0].referrers[0].artifact_type}}. */
    public Map<String, Object> toData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("digest", digest);
        data.put("media_type", mediaType);
        data.put("artifact_type", artifactType);
        data.put("subject", subject);
        data.put("found", found);
        data.put("tag", tag);
        data.put("pushed", pushed);
        data.put("status", copied ? "copied" : "unchanged");
        return Collections.unmodifiableMap(data);
    }
}
