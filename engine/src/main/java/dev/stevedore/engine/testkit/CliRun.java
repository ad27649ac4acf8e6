package dev.stevedore.engine.testkit;

import java.util.List;

/** What one in-process run of the {@code stevedore} command produced. */
public record CliRun(int exitCode, String stdout, String stderr) {

    public List<String> stdoutLines() {
        return stdout.lines().toList();
    }

    public List<String> stderrLines() {
        return stderr.lines().toList();
    }

    /** For assertion messages: everything the run printed. */
    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
}
