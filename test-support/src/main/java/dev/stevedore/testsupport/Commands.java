package dev.stevedore.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the small external tools the test servers need (openssl, htpasswd) and fails loudly. */
final class Commands {
    private static final long TIMEOUT_SECONDS = 60;

    private Commands() {
    }

    /** Runs {@code command} in {@code directory}, feeding {@code stdin} (may be null), and returns stdout. */
    static String run(Path directory, String stdin, List<String> command) throws IOException {
        Programs.require(command.get(0));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.redirectErrorStream(true);
        Process process = builder.start();
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (InputStream out = process.getInputStream()) {
            out.transferTo(output);
        }
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
        String text = output.toString(StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            // Only the tool name: arguments may be long, the output says what went wrong.
            throw new IOException(command.get(0) + " " + command.get(1) + " failed with exit code "
                    + process.exitValue() + ": " + text.strip());
        }
        return text;
    }
}
