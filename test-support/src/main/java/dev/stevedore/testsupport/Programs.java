package dev.stevedore.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.opentest4j.TestAbortedException;

/**
 * The programs the tests run and the Debian package that has each. A test that needs one that is missing
 * is skipped with a message naming the program and the command that installs it, instead of failing later
 * with "Cannot run program". Under {@code ./test} at the root of the repository, which installs every one
 * of them and is what CI runs, it fails instead ({@value #STRICT_VARIABLE}{@code =true}): CI must not pass
 * by running fewer tests.
 */
public final class Programs {

    /** Program to the Debian package that installs it. */
    private static final Map<String, String> PACKAGES = Map.ofEntries(
            Map.entry("docker-registry", "docker-registry"),
            Map.entry("skopeo", "skopeo"),
            Map.entry("openssl", "openssl"),
            Map.entry("htpasswd", "apache2-utils"),
            Map.entry("tinyproxy", "tinyproxy"),
            Map.entry("tmux", "tmux"),
            Map.entry("zstd", "zstd"),
            Map.entry("mkfs.exfat", "exfatprogs"),
            Map.entry("mount.exfat-fuse", "exfat-fuse"),
            Map.entry("losetup", "mount"),
            Map.entry("tar", "tar")); // essential in Debian: there on every machine, listed so that the tests may name it

    /** Set to {@code true} by {@code ./test}: a missing program fails the test instead of skipping it. */
    public static final String STRICT_VARIABLE = "STEVEDORE_REQUIRE_PROGRAMS";

    private Programs() {
    }

    /**
     * Returns {@code program} when it is on the {@code PATH}, to start it by that name.
     *
     * @throws TestAbortedException   (the test is skipped) naming it and the {@code apt-get} command that installs it
     * @throws MissingProgramException the same, failing the test, when {@value #STRICT_VARIABLE} is {@code true}
     */
    public static String require(String program) {
        return require(program, System.getenv().getOrDefault("PATH", ""), "true".equals(System.getenv(STRICT_VARIABLE)));
    }

    /** As {@link #require(String)}, looking in the directories of {@code path} (a {@code PATH} value). */
    static String require(String program, String path, boolean strict) {
        String debianPackage = PACKAGES.get(program);
        if (debianPackage == null) {
            throw new IllegalArgumentException(program + " is not a program the tests know; add it and its package here");
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, program))) {
                return program;
            }
        }
        String message = "this test needs " + program + ", which is not on the PATH; install it with"
                + " `apt-get install -y " + debianPackage + "` as root, or run ./test as root, which installs"
                + " everything the tests need and runs them";
        if (strict) {
            throw new MissingProgramException(message);
        }
        throw new TestAbortedException(message);
    }

    /** A program a test needs is not installed. */
    public static final class MissingProgramException extends IllegalStateException {
        MissingProgramException(String message) {
            super(message);
        }
    }
}
