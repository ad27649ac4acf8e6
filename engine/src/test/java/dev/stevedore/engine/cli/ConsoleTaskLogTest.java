package dev.stevedore.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConsoleTaskLogTest {

    private static final String UP_AND_ERASE = "\u001b[1A\u001b[2K";

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong clock = new AtomicLong();

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutATerminalOnlyFinishedProgressLinesArePrinted() {
        ConsoleTaskLog log = new ConsoleTaskLog(out, 0, false, 80, clock::get);
        log.progress("nginx", "nginx: 10%", false);
        log.progress("nginx", "nginx: 90%", false);
        log.progress("nginx", "nginx: done, 3 blobs", true);
        assertEquals("  nginx: done, 3 blobs\n", printed());
    }

    @Test
    void verbosityDecidesWhichMessagesShow() {
        new ConsoleTaskLog(out, 0, false, 80, clock::get).info("hidden");
        new ConsoleTaskLog(out, 0, false, 80, clock::get).warn("always");
        new ConsoleTaskLog(out, 1, false, 80, clock::get).info("with -v");
        new ConsoleTaskLog(out, 1, false, 80, clock::get).debug("hidden too");
        new ConsoleTaskLog(out, 2, false, 80, clock::get).debug("with -vv");
        assertEquals("  warning: always\n  with -v\n  debug: with -vv\n", printed());
    }

    @Test
    void onATerminalLiveLinesAreRedrawnInPlaceAndFinishedOnesStay() {
        ConsoleTaskLog log = new ConsoleTaskLog(out, 0, true, 80, clock::get);
        log.progress("a", "a: 1%", false);
        clock.addAndGet(200_000_000L);
        log.progress("b", "b: 1%", false);
        assertEquals("  a: 1%\n" + UP_AND_ERASE + "  a: 1%\n  b: 1%\n", printed());
        bytes.reset();
        log.progress("a", "a: done", true);
        assertEquals(UP_AND_ERASE + UP_AND_ERASE + "  a: done\n  b: 1%\n", printed());
        bytes.reset();
        log.endTask();
        assertEquals(UP_AND_ERASE, printed());
    }

    @Test
    void onATerminalRedrawsAreThrottledAndLongLinesCut() {
        ConsoleTaskLog log = new ConsoleTaskLog(out, 0, true, 30, clock::get);
        log.progress("a", "x".repeat(50), false);
        log.progress("a", "too soon to show", false);
        assertEquals("  " + "x".repeat(24) + "...\n", printed());
        assertTrue(log.interactive());
    }
}
