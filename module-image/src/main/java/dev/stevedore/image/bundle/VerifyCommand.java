package dev.stevedore.image.bundle;

import dev.stevedore.spi.ModuleCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code stevedore verify DIR}: re-hashes a KubeKey images directory and checks it against its manifests
 * and its integrity manifest ({@link BundleVerifier}). Every problem is one line on standard output,
 * {@code <item>: <what>}; the summary ends the output, on standard error when something is wrong. Exit
 * status {@link #OK} when everything is present and intact, {@link #FAILED} when an item is missing,
 * corrupt or extra (or the directory cannot be read), {@link #USAGE_ERROR} when DIR is not given or is
 * not a directory.
 */
public final class VerifyCommand implements ModuleCommand {

    @Override
    public String name() {
        return "verify";
    }

    @Override
    public String usage() {
        return """
                Usage: stevedore verify DIR

                Re-hashes every blob of the images directory DIR, checks every manifest and what it references, and
                compares them with DIR/stevedore-bundle.json. Prints one line per missing, corrupt or extra item and
                per incomplete image. Exit status 0 when all is intact, 2 when anything is wrong, 1 when DIR is not
                a directory.
                """;
    }

    @Override
    public String summary() {
        return "re-hash an images directory; list missing, corrupt and extra items (exit 2 if any)";
    }

    @Override
    public int run(List<String> operands, Context invocation) {
        if (operands.size() != 1) {
            invocation.err().println("stevedore: verify takes one images directory: stevedore verify DIR (see stevedore --help)");
            return USAGE_ERROR;
        }
        String operand = operands.get(0);
        Path directory = Path.of(operand.startsWith("local://") ? operand.substring("local://".length()) : operand);
        if (!Files.isDirectory(directory)) {
            invocation.err().println("stevedore: verify: " + directory + " is not a directory: give the images directory"
                    + " a pull wrote (its images_dir or local:// path)");
            return USAGE_ERROR;
        }
        VerificationReport report;
        try {
            report = BundleVerifier.withProcessors().verify(new DirectoryContents(directory));
        } catch (IOException e) {
            invocation.err().println("stevedore: verify: cannot read " + directory + ": " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            invocation.err().println("stevedore: verify: interrupted before it finished");
            return FAILED;
        }
        report.problems().forEach(invocation.out()::println);
        report.notes().forEach(note -> invocation.out().println("note: " + note));
        if (report.intact()) {
            invocation.out().println(report.summary());
            return OK;
        }
        invocation.err().println("stevedore: verify: " + report.summary()
                + "; pull the listed images into the directory again (or copy the bundle anew) and verify once more");
        return FAILED;
    }
}
