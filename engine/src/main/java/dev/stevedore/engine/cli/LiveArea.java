package dev.stevedore.engine.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The bottom of a terminal, where a block of live lines is redrawn in place under the lines that stay.
 * Each redraw moves the cursor back to the block's first line, writes the lines that arrived since the
 * last redraw (they stay, scrolling up as usual), then the block, erasing the rest of every line and,
 * at the end, everything below, so a shorter block or line leaves nothing behind. While a block is
 * shown, lines to keep wait for the next redraw instead of being written at once: the screen is then
 * written only as often as the block is redrawn, and the block never disappears between two redraws.
 *
 * <p>The caller keeps every block line shorter than the terminal is wide, and the block shorter than it
 * is high, so the cursor can always get back to the block's first line. When the terminal has become
 * narrower since the last redraw, terminals that rewrap their lines on a resize (tmux, VTE, iTerm2,
 * Windows Terminal and most others) have wrapped each old block line over several rows, and the cursor
 * goes back over all of them; on one that cuts lines instead (xterm), that overshoots by a few rows and
 * overwrites kept lines on the screen, which beats leaving half a block behind on the others.
 */
final class LiveArea {

    private static final String ESC = "\u001b[";
    private static final String ERASE_TO_END_OF_LINE = ESC + "K";
    private static final String ERASE_BELOW = ESC + "J";

    private final PrintStream out;
    private final List<String> waiting = new ArrayList<>();
    private List<String> drawn = List.of();
    private int drawnColumns;
    private boolean live;

    LiveArea(PrintStream out) {
        this.out = out;
    }

    /** A line to keep: written now, or with the next redraw while a block is live. */
    synchronized void print(String line) {
        if (live) {
            waiting.add(line);
        } else {
            out.println(line);
        }
    }

    /** Replaces the block with {@code block}, for a terminal {@code columns} wide, writing first the lines that waited. */
    synchronized void show(List<String> block, int columns) {
        live = true;
        StringBuilder screen = backToTheBlock(columns);
        for (String line : waiting) {
            appendLine(screen, line);
        }
        waiting.clear();
        for (String line : block) {
            appendLine(screen, line);
        }
        screen.append(ERASE_BELOW);
        drawn = List.copyOf(block);
        drawnColumns = columns;
        out.print(screen);
        out.flush();
    }

    /** Removes the block, keeps what waited, and goes back to writing lines at once. */
    synchronized void clear() {
        if (!live && drawn.isEmpty()) {
            return;
        }
        StringBuilder screen = backToTheBlock(drawnColumns);
        for (String line : waiting) {
            appendLine(screen, line);
        }
        waiting.clear();
        screen.append(ERASE_BELOW);
        drawn = List.of();
        live = false;
        out.print(screen);
        out.flush();
    }

    private StringBuilder backToTheBlock(int columns) {
        int rows = 0;
        for (String line : drawn) {
            rows += columns < drawnColumns ? Math.max(1, (line.length() + columns - 1) / columns) : 1;
        }
        StringBuilder screen = new StringBuilder("\r");
        if (rows > 0) {
            screen.append(ESC).append(rows).append('A');
        }
        return screen;
    }

    /** Each physical line of {@code line} ends by erasing what an earlier block left to its right. */
    private static void appendLine(StringBuilder screen, String line) {
        screen.append(line.replace("\n", ERASE_TO_END_OF_LINE + "\n")).append(ERASE_TO_END_OF_LINE).append('\n');
    }
}
