package dev.stevedore.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real terminal for a test: a tmux server of the test's own (its socket in the test's folder), one
 * detached session of a given size running one command, and the screen read back with capture-pane.
 */
final class Tmux implements AutoCloseable {

    private static final String SESSION = "stevedore";

    private final Path folder;
    private final Path socket;

    private Tmux(Path folder) {
        this.folder = folder;
        this.socket = folder.resolve("tmux.sock");
    }

    /** Starts {@code command} (a shell command line) in a {@code columns} x {@code rows} terminal; its socket goes in {@code folder}. */
    static Tmux start(Path folder, int columns, int rows, String command) throws IOException, InterruptedException {
        Files.createDirectories(folder);
        Tmux tmux = new Tmux(folder);
        tmux.run("new-session", "-d", "-s", SESSION, "-x", Integer.toString(columns), "-y", Integer.toString(rows), command);
        return tmux;
    }

    /** The folder of this terminal's socket. */
    Path folder() {
        return folder;
    }

    /** The visible screen, one string per row, trailing blanks removed. */
    List<String> screen() throws IOException, InterruptedException {
        return run("capture-pane", "-p", "-t", SESSION).lines().map(Tmux::stripTrailing).toList();
    }

    /** Everything the terminal showed: the scrollback and then the screen. */
    List<String> history() throws IOException, InterruptedException {
        return run("capture-pane", "-p", "-J", "-S", "-", "-t", SESSION).lines().map(Tmux::stripTrailing).toList();
    }

    /** Resizes the terminal, which sends the program SIGWINCH. */
    void resize(int columns, int rows) throws IOException, InterruptedException {
        run("resize-window", "-t", SESSION, "-x", Integer.toString(columns), "-y", Integer.toString(rows));
    }

    /** Polls the screen until {@code shows} holds; fails with the last screen after {@code seconds}. */
    List<String> awaitScreen(Predicate<List<String>> shows, int seconds, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<String> last = screen();
        while (!shows.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the terminal never showed " + what + "; it shows:\n" + String.join("\n", last));
            }
            Thread.sleep(50);
            last = screen();
        }
        return last;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("kill-server");
    }

    private String run(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("tmux " + String.join(" ", arguments) + " failed: " + output);
        }
        return output;
    }

    private static String stripTrailing(String line) {
        return line.stripTrailing();
    }
}
