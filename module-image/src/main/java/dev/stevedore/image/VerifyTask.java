package dev.stevedore.image;

import dev.stevedore.image.args.ArgValues;
import dev.stevedore.image.args.ArgumentException;
import dev.stevedore.image.args.ImageArgSpecs;
import dev.stevedore.image.bundle.BundleVerification;
import dev.stevedore.image.bundle.VerificationReport;
import dev.stevedore.spi.CheckOptions;
import dev.stevedore.spi.ExecOptions;
import dev.stevedore.spi.ModuleResult;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code image} task's verify form, {@code image: {verify: local:///DIR}} or {@code archive:///FILE.tar}:
 * what {@code stevedore verify BUNDLE} does, as a task ({@link ImageArgSpecs#VERIFY}). It fails when an item is missing, corrupt or extra, naming
 * each; {@code register:} gives {@code intact}, {@code problems} (one line each), {@code notes},
 * {@code blobs}, {@code bytes}, {@code manifests} and {@code images}. It never changes anything.
 */
final class VerifyTask {

    private static final String KEY = "verify";

    private VerifyTask() {
    }

    /** Whether a task's arguments are of the verify form. */
    static boolean isVerify(Map<String, Object> args) {
        return args.containsKey(KEY);
    }

    static List<String> check(CheckOptions options) {
        try {
            ImageArgSpecs.VERIFY.checkStatic(options.args(), options.templates());
            Object value = options.args().get(KEY);
            if (value instanceof String text && !options.templates().isTemplate(text)) {
                checkOperand(text);
            }
            return List.of();
        } catch (ArgumentException e) {
            return List.of("image: " + e.getMessage());
        }
    }

    static ModuleResult execute(ExecOptions options) {
        String operand;
        try {
            ArgValues values = ImageArgSpecs.VERIFY.validate(options.args(), options.templates(), options.variables());
            operand = values.string(KEY);
            checkOperand(operand);
        } catch (ArgumentException e) {
            return ModuleResult.failed("image: " + e.getMessage());
        }
        Optional<BundleVerification.Bundle> bundle = BundleVerification.locate(operand);
        if (bundle.isEmpty()) {
            return ModuleResult.failed("image: verify: " + operand.strip() + " is neither a directory nor a bundle archive: give the"
                    + " images directory (local://DIR) or the archive (archive://FILE.tar) a pull wrote");
        }
        VerificationReport report;
        try {
            report = BundleVerification.verify(bundle.get(), Runtime.getRuntime().availableProcessors(), options.log(),
                    options.cancellation());
        } catch (IOException e) {
            return ModuleResult.failed("image: verify: cannot read " + bundle.get() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ModuleResult.failed("image: verify: cancelled before it finished");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("intact", report.intact());
        data.put("problems", report.problems().stream().map(VerificationReport.Problem::toString).toList());
        data.put("notes", report.notes());
        data.put("blobs", (long) report.blobs());
        data.put("bytes", report.bytes());
        data.put("manifests", (long) report.manifests());
        data.put("images", (long) report.images());
        if (report.notABundle()) {
            return ModuleResult.failed("", "image: verify: " + report.problems().get(0), false, data); // said once
        }
        report.problems().forEach(problem -> options.log().warn(problem.toString()));
        options.log().info("image: " + report.summary());
        if (report.intact()) {
            return ModuleResult.success(false, "", data);
        }
        return ModuleResult.failed("", "image: verify: " + report.summary() + ": " + report.problems().get(0)
                + (report.problems().size() > 1 ? " (and more, see problems)" : ""), false, data);
    }

    /** Refuses an operand that cannot name a bundle: another scheme than local:// and archive://, or no path. */
    private static void checkOperand(String text) {
        BundleVerification.refusal(text).ifPresent(why -> {
            throw new ArgumentException(why);
        });
    }
}
