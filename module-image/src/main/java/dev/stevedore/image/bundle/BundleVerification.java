package dev.stevedore.image.bundle;

import static dev.stevedore.image.target.LocationSchemes.ARCHIVE;
import static dev.stevedore.image.target.LocationSchemes.LOCAL;
import static dev.stevedore.image.target.LocationSchemes.OCI_LAYOUT;

import dev.stevedore.image.bundle.VerificationReport.Problem;
import dev.stevedore.image.store.archive.ArchiveOptions;
import dev.stevedore.image.store.archive.ArchiveStore;
import dev.stevedore.image.store.archive.PartChecksums;
import dev.stevedore.spi.Cancellation;
import dev.stevedore.spi.Progress;
import dev.stevedore.spi.TaskLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What {@code stevedore verify BUNDLE} and the verify task check: a KubeKey images directory, or a bundle
 * archive (one tar file, or its parts). An archive's files are hashed against {@code NAME.sha256}
 * ({@link PartChecksums}), and a corrupt or missing part is named first; at the same time its members are
 * verified as a directory's files are ({@link BundleVerifier} over {@link ArchiveContents}), read in place,
 * streaming.
 */
public final class BundleVerification {

    /** A bundle to verify: a directory, or an archive named by its file, one of its parts or its base name. */
    public record Bundle(Path path, boolean archive) {
        @Override
        public String toString() {
            return (archive ? "bundle archive " : "images directory ") + path;
        }
    }

    private BundleVerification() {
    }

    /** A verify operand split once: its scheme ({@code local://}, {@code archive://}, another, or none) and the rest. */
    private record Operand(String scheme, String path) {
        static final String OTHER = "another scheme";

        static Operand of(String operand) {
            String value = operand.strip();
            for (String scheme : List.of(LOCAL, ARCHIVE)) {
                if (value.startsWith(scheme)) {
                    return new Operand(scheme, value.substring(scheme.length()));
                }
            }
            return new Operand(value.contains("://") ? OTHER : "", value);
        }
    }

    /**
     * Why {@code operand} cannot name a bundle, whatever is on disk: a scheme other than {@code local://} and
     * {@code archive://}, or no path. Empty when it may; {@link #locate} then looks.
     */
    public static Optional<String> refusal(String operand) {
        Operand parsed = Operand.of(operand);
        if (parsed.scheme().equals(Operand.OTHER)) {
            String what = operand.strip().startsWith(OCI_LAYOUT) ? "verify does not check an OCI image layout ('" + operand.strip()
                    + "')" : "verify is '" + operand + "'";
            return Optional.of(what + ": give local://DIR (a KubeKey images directory), archive://FILE.tar"
                    + " (a bundle archive) or a path");
        }
        return parsed.path().isBlank() ? Optional.of("verify '" + operand + "' names no bundle") : Optional.empty();
    }

    /**
     * The bundle {@code operand} names ({@code local://DIR}, {@code archive://FILE}, or a plain path that is a
     * directory, a file, a part or the base name of parts), or empty when nothing is there.
     */
    public static Optional<Bundle> locate(String operand) {
        Operand parsed = Operand.of(operand);
        Path path = Path.of(parsed.path());
        if (parsed.scheme().equals(ARCHIVE)) {
            return ArchiveStore.exists(path) ? Optional.of(new Bundle(path, true)) : Optional.empty();
        }
        if (Files.isDirectory(path)) {
            return Optional.of(new Bundle(path, false));
        }
        return parsed.scheme().isEmpty() && ArchiveStore.exists(path) ? Optional.of(new Bundle(path, true)) : Optional.empty();
    }

    /**
     * Verifies {@code bundle}, reading everything, on {@code processors} cores (the JVM's, for a command), its
     * progress a batch of {@code log}'s: an item for the blobs, and for an archive with sums one for its files,
     * both hashed at once. A bundle on a USB disk takes minutes; this is what shows it moving, and
     * {@code cancellation} (Ctrl-C) what stops it: the calling thread is interrupted, which stops the hashing
     * threads, so that the command ends at once instead of hashing on until the engine's grace period is over.
     *
     * @throws InterruptedException when cancelled, also where the interrupt surfaced as an {@link IOException} (a
     *                              file channel read by an interrupted thread is closed)
     */
    public static VerificationReport verify(Bundle bundle, int processors, TaskLog log, Cancellation cancellation)
            throws IOException, InterruptedException {
        int items = bundle.archive() && PartChecksums.hasSums(bundle.path()) ? 2 : 1;
        Thread caller = Thread.currentThread();
        AtomicBoolean running = new AtomicBoolean(true);
        Runnable interrupt = () -> {
            synchronized (running) {
                if (running.get()) {
                    caller.interrupt(); // not once the verify is over: the thread may run another task by then
                }
            }
        };
        try (Cancellation.Registration registration = cancellation.onCancel(interrupt);
             Progress progress = log.progress("verify", items, 0, "hashed")) {
            return verify(bundle, processors, progress, cancellation);
        } catch (IOException e) {
            if (cancellation.isCancelled()) {
                throw (InterruptedException) new InterruptedException("the verify was cancelled").initCause(e);
            }
            throw e;
        } finally {
            synchronized (running) {
                running.set(false);
            }
        }
    }

    private static VerificationReport verify(Bundle bundle, int processors, Progress progress, Cancellation cancellation)
            throws IOException, InterruptedException {
        if (!bundle.archive()) {
            return new BundleVerifier(processors).verify(new DirectoryContents(bundle.path()), progress);
        }
        // The files' pass and the members' pass each read every byte once, and run at the same time. The files'
        // pass is one SHA-256 stream, one thread, so it gets a core of its own and the members the others: with
        // a thread for each core besides, it got two thirds of a core, and the verify ended waiting for it
        // (0.95 of the time with one core left out, on two cores, BENCHMARKS.md).
        BundleVerifier verifier = new BundleVerifier(Math.max(1, processors - 1));
        FutureTask<PartChecksums.Result> partsCheck = new FutureTask<>(() -> PartChecksums.check(bundle.path(), progress,
                cancellation)); // the interrupt stops the members' pass; this stops the files' pass
        Thread partsThread = new Thread(partsCheck, "verify-parts");
        partsThread.setDaemon(true);
        partsThread.start();
        ArchiveStore archive;
        try {
            archive = ArchiveStore.open(bundle.path(), ArchiveOptions.defaults());
        } catch (IOException e) {
            // A part missing between others: the archive cannot be read past it.
            PartsFindings found = PartsFindings.of(partsResult(partsCheck));
            found.problems().add(new Problem(bundle.path().getFileName().toString(), "unreadable (" + e.getMessage() + ")"));
            return new VerificationReport(bundle.toString(), 0, 0, 0, 0, false, found.problems(), found.notes());
        }
        try (archive) {
            VerificationReport members = verifier.verify(new ArchiveContents(archive), progress);
            PartsFindings found = PartsFindings.of(partsResult(partsCheck));
            List<Problem> problems = found.problems();
            List<String> notes = found.notes();
            archive.torn().ifPresent(why -> problems.add(new Problem(bundle.path().getFileName().toString(),
                    "cut off (" + why + "): a part is missing or corrupt, or the write did not finish")));
            problems.addAll(members.problems());
            notes.addAll(members.notes());
            return new VerificationReport(members.bundle(), members.blobs(), members.bytes(), members.manifests(),
                    members.images(), members.integrityManifest(), problems, notes);
        }
    }

    private static PartChecksums.Result partsResult(FutureTask<PartChecksums.Result> check) throws IOException, InterruptedException {
        try {
            return check.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("checking the archive's files failed unexpectedly: " + e.getCause(), e.getCause());
        }
    }

    /** What checking the files against the sums found, as the report's first problems and a note. */
    private record PartsFindings(List<Problem> problems, List<String> notes) {

        static PartsFindings of(PartChecksums.Result parts) {
            List<Problem> problems = new ArrayList<>();
            parts.problems().forEach(p -> problems.add(new Problem(p.file(), p.what())));
            List<String> notes = new ArrayList<>();
            if (parts.present()) {
                notes.add(parts.checked() + (parts.checked() == 1 ? " file" : " files") + " of the archive hashed against "
                        + parts.sums().getFileName());
            } else {
                notes.add("no " + parts.sums().getFileName() + " beside the archive: its files were not hashed as a whole,"
                        + " only its members");
            }
            return new PartsFindings(problems, notes);
        }
    }
}
