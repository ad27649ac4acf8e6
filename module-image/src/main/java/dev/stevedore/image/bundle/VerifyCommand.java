package dev.stevedore.image.bundle;

import dev.stevedore.spi.ModuleCommand;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * {@code stevedore verify BUNDLE}: re-hashes a KubeKey images directory or a bundle archive (its parts first,
 * against {@code NAME.sha256}) and checks it against its manifests and its integrity manifest
 * ({@link BundleVerification}). Every problem is one line on standard output,
 * {@code <item>: <what>}; the summary ends the output, on standard error when something is wrong. Exit
 * status {@link #OK} when everything is present and intact, {@link #FAILED} when an item is missing,
 * corrupt or extra (or the bundle cannot be read), {@link #USAGE_ERROR} when BUNDLE is not given or is
 * neither a directory nor an archive.
 */
public final class VerifyCommand implements ModuleCommand {

    @Override
    public String name() {
        return "verify";
    }

    @Override
    public String usage() {
        return """
                Usage: stevedore verify DIR|FILE.tar|FILE.tar.part-0001

                Re-hashes every blob of the images directory DIR (or of the bundle archive FILE.tar, whole or in
                parts, whose parts are first checked against FILE.tar.sha256), checks every manifest and what it
                references, and compares them with stevedore-bundle.json. Prints one line per missing, corrupt or
                extra item (a part first) and per incomplete image. Exit status 0 when all is intact, 2 when
                anything is wrong, 1 when BUNDLE is neither a directory nor an archive, or holds nothing a pull
                writes.
                """;
    }

    @Override
    public String summary() {
        return "re-hash an images directory or bundle archive; list missing, corrupt and extra items (exit 2 if any)";
    }

    @Override
    public int run(List<String> operands, Context invocation) {
        if (operands.size() != 1) {
            invocation.err().println("stevedore: verify takes one bundle: stevedore verify DIR|FILE.tar (see stevedore --help)");
            return USAGE_ERROR;
        }
        String operand = operands.get(0);
        Optional<String> refusal = BundleVerification.refusal(operand);
        if (refusal.isPresent()) {
            invocation.err().println("stevedore: " + refusal.get());
            return USAGE_ERROR;
        }
        Optional<BundleVerification.Bundle> bundle = BundleVerification.locate(operand);
        if (bundle.isEmpty()) {
            invocation.err().println("stevedore: verify: " + operand + " is neither a directory nor a bundle archive: give the"
                    + " images directory or the archive (FILE.tar, or its first part FILE.tar.part-0001) a pull wrote");
            return USAGE_ERROR;
        }
        VerificationReport report;
        try {
            report = BundleVerification.verify(bundle.get(), Runtime.getRuntime().availableProcessors(), invocation.log(),
                    invocation.cancellation());
        } catch (IOException e) {
            invocation.err().println("stevedore: verify: cannot read " + bundle.get() + ": " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            invocation.err().println("stevedore: verify: interrupted before it finished; nothing was changed");
            return FAILED;
        }
        report.problems().forEach(invocation.out()::println);
        report.notes().forEach(note -> invocation.out().println("note: " + note));
        if (report.intact()) {
            invocation.out().println(report.summary());
            return OK;
        }
        if (report.notABundle()) {
            invocation.err().println("stevedore: verify: " + operand + " holds no bundle: give the images directory or the"
                    + " archive (FILE.tar, or its first part FILE.tar.part-0001) a pull wrote");
            return USAGE_ERROR;
        }
        invocation.err().println("stevedore: verify: " + report.summary()
                + "; copy a listed part again from the original bundle, or pull the listed images into the bundle again, and"
                + " verify once more");
        return FAILED;
    }
}
