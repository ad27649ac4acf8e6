package dev.stevedore.image.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.Mockito.mock;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.target.ImageTarget;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Which images a destination that could not be finished fails ({@link ResultDestinations}). */
class ResultDestinationsTest {

    private static final String SHA = "sha256:" + "a".repeat(64);

    private final ImageTarget source = mock(ImageTarget.class);
    private final ImageTarget bundle = mock(ImageTarget.class);
    private final ImageTarget finished = mock(ImageTarget.class);
    private final ResultDestinations written = new ResultDestinations();

    private ImagePlan planInto(ImageTarget destination) {
        ImageReference image = ImageReference.parse("registry.example/library/app:1.0");
        return new ImagePlan(new ImagePlace("oci://" + image, source, image), new ImagePlace("local:///srv#" + image, destination, image),
                null, List.of(), List.of(), List.of(), false, ImagePlan.Foreign.NONE, "", Digest.parse(SHA), 0);
    }

    private static ImageResult result(ImageResult.Status status) {
        return new ImageResult("oci://registry.example/library/app:1.0", "local:///srv#registry.example/library/app:1.0", status,
                SHA, "application/vnd.oci.image.manifest.v1+json", List.of("linux/amd64"), new BlobCounts(2, 1, 0, 0, 0, 2048), "", "");
    }

    private ImageResult track(ImageTarget destination, ImageResult result) {
        return written.track(planInto(destination), CompletableFuture.completedFuture(result)).join();
    }

    private static UnfinishedDestinationsException unfinished(ImageTarget target) {
        return new UnfinishedDestinationsException(Map.of(target, new ImageException("could not finish writing the bundle: disk full")));
    }

    @Test
    void imagesInTheUnfinishedDestinationFailKeepingWhatWasWrittenAndEqualResultsElsewhereStand() throws Exception {
        // Equal results: only the one written to the unfinished store is affected.
        ImageResult inBundle = track(bundle, result(ImageResult.Status.COPIED));
        ImageResult elsewhere = track(finished, result(ImageResult.Status.COPIED));
        ImageResult upToDate = track(bundle, result(ImageResult.Status.UNCHANGED));
        ImageResult failedEarlier = track(bundle, ImageResult.failed("oci://a", "local:///srv#a", "manifest unknown"));
        ImageResult neverCopied = ImageResult.skipped("oci://b", "local:///srv#b", "no requested platform");

        List<ImageResult> marked = written.failIn(List.of(inBundle, elsewhere, upToDate, failedEarlier, neverCopied), unfinished(bundle));

        assertEquals(ImageResult.Status.FAILED, marked.get(0).status());
        assertEquals("could not finish writing the bundle: disk full", marked.get(0).error());
        assertEquals(inBundle.blobs(), marked.get(0).blobs(), "what was written still counts");
        assertEquals(SHA, marked.get(0).digest());
        assertSame(elsewhere, marked.get(1));
        assertEquals(ImageResult.Status.FAILED, marked.get(2).status(), "an image found in it is not in a finished store either");
        assertSame(failedEarlier, marked.get(3), "an earlier failure keeps its own reason");
        assertSame(neverCopied, marked.get(4));
    }

    @Test
    void anUnfinishedDestinationNoImageWasWrittenToFailsTheCopyItself() {
        ImageResult elsewhere = track(finished, result(ImageResult.Status.COPIED));
        UnfinishedDestinationsException e = unfinished(bundle);

        assertSame(e, assertThrows(UnfinishedDestinationsException.class, () -> written.failIn(List.of(elsewhere), e)));
    }

    @Test
    void imagesThatAllFailedInTheUnfinishedDestinationKeepTheirResults() throws Exception {
        // A disk that fills during the only image's blobs fails that image, and then the close too. The
        // image's own failure is the first cause: the copy keeps it rather than failing as a whole with
        // "0 images" and the close's reason alone.
        ImageResult failed = track(bundle, ImageResult.failed("oci://a", "local:///srv#a", "the disk is full while writing blob"));

        List<ImageResult> marked = written.failIn(List.of(failed), unfinished(bundle));

        assertEquals(List.of(failed), marked);
        assertSame(failed, marked.get(0));
    }

    @Test
    void aFailedAfterCopyResultStillCountsAsAChange() {
        CopySummary summary = new CopySummary(List.of(result(ImageResult.Status.COPIED).failedAfterCopy("could not finish")), List.of());

        assertEquals(true, summary.toResult().changed(), "its blobs were written");
        assertEquals(false, new CopySummary(List.of(ImageResult.failed("oci://a", "local:///srv#a", "not found")), List.of())
                .toResult().changed());
    }
}
