package dev.stevedore.image.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stevedore.image.bundle.VerificationReport.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerificationReportTest {

    @Test
    void oneOfEachIsSaidInTheSingular() {
        VerificationReport report = new VerificationReport("bundle archive /srv/b.tar", 1, 1, 1, 1, true,
                List.of(new Problem("blobs/sha256:09bd", "corrupt")), List.of());
        assertEquals("1 problem in 1 blob (1 byte), 1 manifest and 1 image of bundle archive /srv/b.tar", report.summary());
    }

    @Test
    void noneAndManyAreSaidInThePlural() {
        VerificationReport report = new VerificationReport("images directory /srv/b", 0, 0, 2, 3, false, List.of(), List.of());
        assertEquals("verified 0 blobs (0 bytes), 2 manifests and 3 images of images directory /srv/b: all present and intact",
                report.summary());
    }
}
