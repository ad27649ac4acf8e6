package dev.stevedore.engine.cli;

import java.io.IOException;
import java.util.function.Supplier;
import org.jline.terminal.Size;
import org.jline.terminal.impl.exec.ExecPty;
import org.jline.terminal.spi.Pty;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

/**
 * The size of the terminal standard output is on, asked of the terminal itself through JLine (bash does
 * not export {@code COLUMNS}, so the environment cannot tell), read when first needed and again after
 * the window changed (SIGWINCH).
 *
 * <p>Only JLine's terminal provider and pty are used, not a JLine {@code Terminal}: building one probes
 * the terminal (it switches the tty to raw mode and reads its answers from standard input) and installs
 * handlers for every signal, which would take Ctrl-C away from the shutdown hook that cancels a run. The
 * {@code exec} provider reads the size with {@code stty}, one short child process per read, which costs
 * no native library to unpack; the size is read once and again only after a resize.
 */
final class TerminalSize implements Supplier<ScreenSize> {

    private volatile boolean resized = true;
    private ScreenSize known = ScreenSize.FALLBACK;
    private Pty pty;

    private TerminalSize() {
    }

    /** The size of the terminal of standard output (which must be a terminal, as standard input is too). */
    static TerminalSize ofStandardOutput() {
        return new TerminalSize();
    }

    @Override
    public synchronized ScreenSize get() {
        if (resized) {
            resized = false;
            known = read();
        }
        return known;
    }

    private ScreenSize read() {
        try {
            if (pty == null) {
                TerminalProvider provider = TerminalProvider.load("exec");
                pty = ExecPty.current(provider, SystemStream.Output);
                provider.registerSignal("WINCH", () -> resized = true);
            }
            Size size = pty.getSize();
            return size.getColumns() > 0 && size.getRows() > 0 ? new ScreenSize(size.getColumns(), size.getRows()) : known;
        } catch (IOException | RuntimeException | LinkageError e) {
            // No tty to ask (standard input redirected) or no stty: the display still works at a VT100's size.
            return known;
        }
    }
}
