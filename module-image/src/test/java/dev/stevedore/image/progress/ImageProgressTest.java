package dev.stevedore.image.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stevedore.image.testing.RecordingLog;
import dev.stevedore.spi.Progress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageProgressTest {

    private final RecordingLog log = new RecordingLog();
    private final Progress batch = log.progress("pull images", 1, 4096);
    private final ImageProgress progress = new ImageProgress(batch, "nginx -> harbor", 4096);

    @Test
    void anImageQueuedButNotBegunIsNotInFlight() {
        assertEquals(List.of(), log.started());
        progress.begin();
        progress.begin();
        assertEquals(List.of("nginx -> harbor"), log.started(), "begun once, however many of its blobs begin");
    }

    @Test
    void everyReportGoesToTheOneItemOfTheImage() {
        progress.transferred(1000);
        progress.skipped(96);
        progress.transferred(3000);
        progress.finish("copied");
        assertEquals(List.of("nginx -> harbor"), log.started(), "the first report begins the image");
        assertEquals(List.of(new RecordingLog.Finished("nginx -> harbor", "copied", 4000, 96)), log.finished());
    }
}
