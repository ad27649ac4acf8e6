package dev.stevedore.image.store.archive;

import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.store.RegularFiles;
import dev.stevedore.image.target.ArchiveFileNames;
import dev.stevedore.spi.Cancellation;
import dev.stevedore.spi.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SHA-256 of every file of a bundle archive, in {@code NAME.sha256} beside it, in {@code sha256sum}'s format
 * ({@code <hex>  <file name>}, one line each): every part of a split archive in order, or the one file. A
 * file cannot hold its own hash, so the sums live beside the parts, not in a member; an operator checks
 * the copy he carried with {@code sha256sum -c NAME.sha256} in its folder, or with {@code stevedore verify NAME}.
 *
 * <p>Written when a write to the archive closes, atomically (temporary file, flush, rename), and deleted
 * when a write begins: a run that was killed leaves no sums that no longer describe the parts. The hashes
 * of a write are taken while it goes on ({@link RunningPartSums}).
 */
public final class PartChecksums {

    private static final String SUFFIX = ".sha256";
    private static final int BUFFER = 256 * 1024;

    /** One file of the archive that is not what the sums say, by its file name. */
    public record Problem(String file, String what) {
        @Override
        public String toString() {
            return file + ": " + what;
        }
    }

    /**
     * What checking the files against the sums found.
     *
     * @param sums     the sums file
     * @param present  whether it exists (without it nothing was checked)
     * @param checked  how many files were hashed
     * @param problems every missing, corrupt or unlisted file, in part order
     */
    public record Result(Path sums, boolean present, int checked, List<Problem> problems) {
        public Result {
            problems = List.copyOf(problems);
        }
    }

    private PartChecksums() {
    }

    /** {@code NAME.sha256} for the archive {@code NAME} or any of its parts. */
    public static Path sumsOf(Path archive) {
        Path base = SplitFile.baseOf(archive);
        return base.resolveSibling(base.getFileName() + SUFFIX);
    }

    /** Hashes every file of {@code file}, streaming, and writes the sums. */
    static void write(SplitFile file) throws IOException {
        List<String> hashes = new ArrayList<>();
        for (Path part : file.files()) {
            hashes.add(hash(part));
        }
        write(file, hashes);
    }

    /** Writes {@code hashes}, the hex SHA-256 of each file of {@code file} in order ({@link RunningPartSums}). */
    static void write(SplitFile file, List<String> hashes) throws IOException {
        Path sums = sumsOf(file.base());
        List<Path> parts = file.files();
        if (parts.size() != hashes.size()) {
            throw new IllegalStateException(hashes.size() + " sums for the " + parts.size() + " files of " + file.describe());
        }
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            lines.append(hashes.get(i)).append("  ").append(parts.get(i).getFileName()).append('\n');
        }
        Path temporary = sums.resolveSibling(".tmp-" + sums.getFileName() + "-" + ProcessHandle.current().pid());
        Files.write(temporary, lines.toString().getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        Files.move(temporary, sums, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The sums no longer describe the files once a write begins. */
    static void discard(SplitFile file) throws IOException {
        Files.deleteIfExists(sumsOf(file.base()));
    }

    /** Whether {@code NAME.sha256} is there for the archive {@code NAME} or any of its parts: whether {@link #check} hashes. */
    public static boolean hasSums(Path archive) {
        return Files.isRegularFile(sumsOf(archive), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Hashes every file the sums list, in order, streaming, and compares: a listed file that is absent is
     * missing, one that hashes otherwise is corrupt, a part on disk the sums do not list is extra.
     */
    public static Result check(Path archive) throws IOException {
        return check(archive, Progress.NONE, Cancellation.NEVER);
    }

    /**
     * The same, reporting into {@code progress}, when there are sums, one item: the files they list, sized once
     * the sums are read, their bytes as they are hashed. On a USB disk this takes minutes for a large bundle, so
     * it stops when {@code cancellation} fires (Ctrl-C), between two reads.
     *
     * @throws InterruptedIOException when cancelled
     */
    public static Result check(Path archive, Progress progress, Cancellation cancellation) throws IOException {
        Path base = SplitFile.baseOf(archive);
        Path sums = sumsOf(base);
        if (!hasSums(base)) {
            return new Result(sums, false, 0, List.of());
        }
        Map<String, String> listed = read(sums);
        long bytes = 0;
        for (String name : listed.keySet()) {
            bytes += RegularFiles.size(base.resolveSibling(name)).orElse(0); // a missing part: no bytes
        }
        progress.sized(bytes);
        String files = listed.size() == 1 ? listed.keySet().iterator().next()
                : "the " + listed.size() + " parts of " + base.getFileName();
        Progress.Item item = progress.start(files + " against " + sums.getFileName(), bytes);
        List<Problem> problems = new ArrayList<>();
        int checked = 0;
        try {
            for (Map.Entry<String, String> entry : listed.entrySet()) {
                Path part = base.resolveSibling(entry.getKey());
                if (!Files.isRegularFile(part, LinkOption.NOFOLLOW_LINKS)) {
                    problems.add(new Problem(entry.getKey(), "missing (listed in " + sums.getFileName() + ")"));
                    continue;
                }
                String actual = hash(part, item, cancellation);
                checked++;
                if (!actual.equals(entry.getValue())) {
                    problems.add(new Problem(entry.getKey(), "corrupt (sha256 is " + actual + ", " + sums.getFileName()
                            + " says " + entry.getValue() + ")"));
                }
            }
        } finally {
            item.finish(cancellation.isCancelled() ? "interrupted" : problems.isEmpty() ? "intact"
                    : problems.size() == 1 ? "1 missing or corrupt" : problems.size() + " missing or corrupt");
        }
        for (int number = 1; Files.exists(ArchiveFileNames.part(base, number), LinkOption.NOFOLLOW_LINKS); number++) {
            String name = ArchiveFileNames.part(base, number).getFileName().toString();
            if (!listed.containsKey(name)) {
                problems.add(new Problem(name, "extra (not in " + sums.getFileName() + ")"));
            }
        }
        return new Result(sums, true, checked, problems);
    }

    /** The sums' file names (plain names in the sums' folder) with their hex, in order; a malformed line is an error. */
    private static Map<String, String> read(Path sums) throws IOException {
        Map<String, String> listed = new LinkedHashMap<>();
        for (String line : Files.readAllLines(sums, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            // sha256sum writes "<hex>  <name>" (text mode) or "<hex> *<name>" (binary mode).
            String[] fields = line.split(" [ *]", 2);
            if (fields.length != 2 || !fields[0].matches("[a-f0-9]{64}") || fields[1].isEmpty() || fields[1].contains("/")) {
                throw new IOException(sums + " has a line that is not '<sha256>  <file name>': '" + line
                        + "'; write it anew with sha256sum in the bundle's folder");
            }
            listed.put(fields[1], fields[0]);
        }
        return listed;
    }

    private static String hash(Path file) throws IOException {
        return hash(file, Progress.NO_ITEM, Cancellation.NEVER);
    }

    private static String hash(Path file, Progress.Item item, Cancellation cancellation) throws IOException {
        MessageDigest sha256 = Digest.newSha256();
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (cancellation.isCancelled()) {
                    throw new InterruptedIOException("the check of " + file.getFileName() + " was cancelled");
                }
                sha256.update(buffer, 0, n);
                item.transferred(n);
            }
        }
        return Digest.of(sha256.digest()).hex();
    }

    /** The first problem as a sentence for a push that must not start, naming the file and what to do. */
    static Optional<String> refusal(Result result, String archive) {
        if (result.problems().isEmpty()) {
            return Optional.empty();
        }
        Problem first = result.problems().get(0);
        String more = result.problems().size() > 1 ? " (and " + (result.problems().size() - 1) + " more)" : "";
        return Optional.of("part " + first.file() + " of " + archive + " is " + first.what() + more
                + ": nothing was pushed; copy the part again from the original bundle, check the copy with `sha256sum -c "
                + result.sums().getFileName() + "` in its folder (or stevedore verify), then push again");
    }
}
