package dev.stevedore.engine.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ProgressLinesTest {

    private static final long MIB = 1024 * 1024;

    private static ProgressSnapshot snapshot(List<ProgressSnapshot.InFlight> inFlight) {
        return new ProgressSnapshot("pull images", 3, 10, 30 * MIB, 100 * MIB, 2 * MIB, inFlight);
    }

    @Test
    void theOverallLineShowsItemsBytesRateAndEta() {
        List<String> lines = ProgressLines.render(snapshot(List.of()), 100, 20);
        assertEquals(List.of("  pull images: 3/10 done, 30.0 MiB / 100.0 MiB, 2.0 MiB/s, ETA 35s"), lines);
    }

    @Test
    void anEstimatedTotalIsMarkedAsOne() {
        ProgressSnapshot estimated = new ProgressSnapshot("pull images", 3, 10, 30 * MIB, 100 * MIB, 2 * MIB, List.of(), true);
        assertEquals(List.of("  pull images: 3/10 done, 30.0 MiB / ~100.0 MiB, 2.0 MiB/s, ETA 35s"),
                ProgressLines.render(estimated, 100, 20));
    }

    @Test
    void longNamesAreShortenedInTheMiddleSoTheNumbersShow() {
        String name = "registry.example.com/platform/monitoring/prometheus:v2.45.0 -> local:///srv/bundle/images";
        List<String> lines = ProgressLines.render(snapshot(List.of(new ProgressSnapshot.InFlight(name, 5 * MIB, 20 * MIB))), 60, 20);
        String item = lines.get(1);
        assertEquals(59, item.length(), item);
        assertTrue(item.startsWith("    registry.exam"), item);
        assertTrue(item.contains("...") && item.contains("images  5.0 MiB / 20.0 MiB  25%"), item);
    }

    @Test
    void onlyAsManyItemsAsFitAreShownAndTheRestCounted() {
        List<ProgressSnapshot.InFlight> items = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            items.add(new ProgressSnapshot.InFlight("image-" + i, 1, 2));
        }
        List<String> lines = ProgressLines.render(snapshot(items), 80, 5);
        assertEquals(List.of("  pull images: 3/10 done, 30.0 MiB / 100.0 MiB, 2.0 MiB/s, ETA 35s",
                "    image-0  1 B / 2 B  50%", "    image-1  1 B / 2 B  50%", "    image-2  1 B / 2 B  50%",
                "    ... and 5 more in flight"), lines);
        assertEquals(1, ProgressLines.render(snapshot(items), 80, 1).size(), "the overall line alone when nothing else fits");
    }

    @Test
    void itemsStillMovingBytesComeBeforeThoseWaitingForTheirManifests() {
        List<String> lines = ProgressLines.render(snapshot(List.of(
                new ProgressSnapshot.InFlight("all-there", 2, 2), new ProgressSnapshot.InFlight("moving", 1, 2))), 80, 20);
        assertEquals(List.of("    moving  1 B / 2 B  50%", "    all-there  2 B / 2 B  100%"), lines.subList(1, 3));
    }

    @Test
    void onANarrowTerminalTheOverallLineKeepsItsFiguresAndDropsItsLabel() {
        List<String> lines = ProgressLines.render(snapshot(List.of()), 60, 20);
        assertEquals(List.of("  3/10 done, 30.0 MiB / 100.0 MiB, 2.0 MiB/s, ETA 35s"), lines);
    }

    @Test
    void aNarrowTerminalCutsLinesRatherThanWrappingThem() {
        List<String> lines = ProgressLines.render(snapshot(List.of(new ProgressSnapshot.InFlight("nginx", 1, 2))), 20, 20);
        assertTrue(lines.stream().allMatch(line -> line.length() == 19), lines.toString());
    }

    @Test
    void shorteningKeepsBothEnds() {
        assertEquals("abc...xy", ProgressLines.shortenMiddle("abcdefghijxy", 8));
        assertEquals("short", ProgressLines.shortenMiddle("short", 8));
    }

    @Test
    void remainingTimeReadsAsSecondsMinutesOrHours() {
        assertEquals("42s", Durations.format(42));
        assertEquals("3m07s", Durations.format(187));
        assertEquals("1h04m", Durations.format(3840));
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("ar-EG")); // which formats numbers in its own digits
        try {
            assertEquals("3m07s", Durations.format(187));
        } finally {
            Locale.setDefault(before);
        }
    }
}
