package dev.stevedore.image.store.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.testsupport.Programs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The system's {@code tar} program (GNU tar here) run on an archive, and directory trees to compare with. */
final class TarTool {

    private TarTool() {
    }

    /**
     * Extracts {@code archive} into a new directory {@code into}, through the {@code zstd} program for a
     * {@code .zst}; fails the test on any warning or error.
     */
    static Path extract(Path archive, Path into) throws Exception {
        Files.createDirectories(into);
        List<String> command = new ArrayList<>(List.of("tar", "-x", "-f", archive.toString(), "-C", into.toString()));
        if (archive.getFileName().toString().endsWith(".zst")) {
            command.add(1, "--use-compress-program=" + Programs.require("zstd"));
        }
        run(command);
        return into;
    }

    /** The member names {@code tar -t} lists, in archive order. */
    static List<String> list(Path archive) throws Exception {
        return List.of(run(List.of("tar", "-t", "-f", archive.toString())).split("\n"));
    }

    /** Runs {@code sha256sum -c SUMS} in {@code folder}; fails the test unless every file checks. */
    static void sha256sumCheck(Path folder, String sums) throws Exception {
        Process process = new ProcessBuilder("sha256sum", "-c", sums).directory(folder.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "sha256sum finished");
        assertEquals(0, process.exitValue(), "sha256sum -c " + sums + ": " + output);
    }

    /** Concatenates the parts into one file, as {@code cat NAME.part-* > NAME} does. */
    static Path concatenate(List<Path> parts, Path into) throws IOException {
        try (var out = Files.newOutputStream(into)) {
            for (Path part : parts) {
                Files.copy(part, out);
            }
        }
        return into;
    }

    /** Every regular file under {@code root} by relative path, with the SHA-256 of its bytes and its mode. */
    static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.toList()) {
                String name = root.relativize(path).toString();
                if (Files.isRegularFile(path)) {
                    files.put(name, HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(Files.readAllBytes(path))) + " " + java.nio.file.attribute.PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(path)));
                } else if (Files.isDirectory(path) && !name.isEmpty()) {
                    files.put(name + "/", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
                }
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return files;
    }

    private static String run(List<String> command) throws Exception {
        List<String> all = new ArrayList<>(command);
        Process process = new ProcessBuilder(all).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "tar finished");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
        assertTrue(!output.contains("tar:"), "tar said: " + output);
        return output;
    }
}
