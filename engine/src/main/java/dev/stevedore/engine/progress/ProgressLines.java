package dev.stevedore.engine.progress;

import dev.stevedore.spi.Bytes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns a snapshot into the lines a terminal shows: one overall line, then the items in flight, as many
 * as fit. Every line is shorter than the terminal is wide (a line that filled the width would wrap, and
 * redrawing in place would leave half of it behind); an item's name is shortened in its middle, so its
 * numbers always show and both its source and its destination stay recognisable.
 */
public final class ProgressLines {

    static final String ELLIPSIS = "...";
    private static final String OVERALL_INDENT = "  ";
    private static final String ITEM_INDENT = "    ";
    private static final int MIN_NAME = 8;

    private ProgressLines() {
    }

    /**
     * @param columns  the terminal's width
     * @param maxLines how many lines may be drawn (fewer than the terminal's rows, so none scrolls away)
     */
    public static List<String> render(ProgressSnapshot snapshot, int columns, int maxLines) {
        int width = Math.max(columns - 1, 1);
        List<String> lines = new ArrayList<>();
        String overall = OVERALL_INDENT + snapshot.label() + ": " + figures(snapshot);
        // On a narrow terminal the figures matter more than the label.
        lines.add(cut(overall.length() <= width ? overall : OVERALL_INDENT + figures(snapshot), width));
        int room = maxLines - 1;
        // Items still moving bytes come first: one whose bytes are all there waits only for its manifests.
        List<ProgressSnapshot.InFlight> items = snapshot.inFlight().stream()
                .sorted(Comparator.comparing(item -> item.bytesDone() >= item.bytesTotal()))
                .toList();
        int shown = items.size() <= room ? items.size() : Math.max(room - 1, 0);
        for (ProgressSnapshot.InFlight item : items.subList(0, shown)) {
            lines.add(item(item, width));
        }
        if (shown < items.size() && room > 0) {
            lines.add(cut(ITEM_INDENT + "... and " + (items.size() - shown) + " more in flight", width));
        }
        return lines;
    }

    static String figures(ProgressSnapshot s) {
        StringBuilder line = new StringBuilder().append(s.itemsDone()).append('/')
                .append(s.itemsTotal()).append(" done, ").append(Bytes.format(s.bytesDone())).append(" / ")
                .append(s.estimated() ? "~" : "").append(Bytes.format(s.bytesTotal()));
        line.append(", ").append(s.rate() < 0 ? "--" : Bytes.format((long) s.rate())).append("/s");
        long eta = s.etaSeconds();
        line.append(", ETA ").append(eta < 0 ? "--" : Durations.format(eta));
        return line.toString();
    }

    static String item(ProgressSnapshot.InFlight item, int width) {
        long percent = item.bytesTotal() <= 0 ? 100 : Math.min(100, item.bytesDone() * 100 / item.bytesTotal());
        String numbers = "  " + Bytes.format(item.bytesDone()) + " / " + Bytes.format(item.bytesTotal()) + "  " + percent + "%";
        int nameRoom = Math.max(width - ITEM_INDENT.length() - numbers.length(), MIN_NAME);
        return cut(ITEM_INDENT + shortenMiddle(item.name(), nameRoom) + numbers, width);
    }

    /** {@code text} at most {@code width} characters long, its middle replaced by "..." when it is longer. */
    static String shortenMiddle(String text, int width) {
        if (text.length() <= width) {
            return text;
        }
        if (width <= ELLIPSIS.length()) {
            return text.substring(0, width);
        }
        int keep = width - ELLIPSIS.length();
        int tail = keep / 2;
        return text.substring(0, keep - tail) + ELLIPSIS + text.substring(text.length() - tail);
    }

    private static String cut(String line, int width) {
        return line.length() <= width ? line : line.substring(0, width);
    }
}
