package dev.stevedore.image.copy;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.target.ImageTarget;
import java.util.List;

/**
 * Everything needed to copy one image, resolved before any write: where it comes from and goes to,
 * the manifest or index to write last, the child manifests an index refers to, and every distinct blob.
 *
 * @param source       where the image is read, for results ({@code oci://...} or {@code local://...})
 * @param destination  where it is written, for results
 * @param sourceRef    the image's reference inside {@code sourceTarget}
 * @param destRef      the reference it gets in {@code destTarget}: its tag, or its digest when it has no tag
 * @param root         the manifest or index the destination's tag will point at (maybe a filtered index)
 * @param children     the manifests {@code root} refers to when it is an index, empty otherwise
 * @param blobs        every blob of the image, each digest once
 * @param platforms    the platforms copied, when known
 * @param upToDate     the destination already has {@code root} under {@code destRef}: nothing to do
 */
public record ImagePlan(String source, String destination, ImageTarget sourceTarget, ImageReference sourceRef,
                        ImageTarget destTarget, ImageReference destRef, Manifest root, List<Manifest> children,
                        List<Descriptor> blobs, List<String> platforms, boolean upToDate) {

    public ImagePlan {
        children = List.copyOf(children);
        blobs = List.copyOf(blobs);
        platforms = List.copyOf(platforms);
    }

    /** The bytes of all blobs of the image. */
    public long totalBytes() {
        return blobs.stream().mapToLong(Descriptor::size).sum();
    }
}
