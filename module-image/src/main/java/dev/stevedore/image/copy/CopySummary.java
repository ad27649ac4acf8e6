package dev.stevedore.image.copy;

import dev.stevedore.spi.Bytes;
import dev.stevedore.spi.ModuleResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the results of a task's copies into the module's result (contract, section 7): stdout
 * {@code success}, {@code skip} or {@code failed}; a one-line summary on stderr; the error listing every
 * failed image with its reason; {@code changed} only when something was written; and the structured
 * data a playbook registers: {@code images} and totals, all JSON-like values.
 *
 * @param images        every image of every copy of the task, in order
 * @param requestErrors failures that kept a whole copy from starting ({@code push: cannot list ...})
 */
public record CopySummary(List<ImageResult> images, List<String> requestErrors) {

    public CopySummary {
        images = List.copyOf(images);
        requestErrors = List.copyOf(requestErrors);
    }

    public long count(ImageResult.Status status) {
        return images.stream().filter(i -> i.status() == status).count();
    }

    public ModuleResult toResult() {
        Map<String, Object> data = data();
        // An image that failed after its blobs were written (its store could not be finished) changed it too.
        boolean changed = count(ImageResult.Status.COPIED) > 0 || images.stream().anyMatch(ImageResult::wroteBlobs);
        List<String> failures = new ArrayList<>(requestErrors);
        images.stream().filter(i -> i.status() == ImageResult.Status.FAILED)
                .forEach(i -> failures.add(i.source() + " -> " + i.destination() + ": " + i.error()));
        String summary = summary();
        if (!failures.isEmpty()) {
            long failedImages = count(ImageResult.Status.FAILED);
            // One failure stays on one line, so that the console and register: show it whole.
            // Not "the copy failed" for a failure of the task's own: the receipt, say, fails after every image copied.
            String error = failedImages == 0 && failures.size() == 1 ? failures.get(0)
                    : (failedImages > 0 ? failedImages + " of " + images.size() + " images failed" : "the task failed")
                    + ":\n  - " + String.join("\n  - ", failures);
            return ModuleResult.failed(summary, error, changed, data);
        }
        if (images.isEmpty() || count(ImageResult.Status.SKIPPED) == images.size()) {
            return new ModuleResult(ModuleResult.SKIP, images.isEmpty() ? "no image matched: nothing to copy" : summary,
                    "", false, data);
        }
        return ModuleResult.success(changed, summary, data);
    }

    /** For example {@code 3 images: 2 copied, 1 unchanged; blobs: 12 copied (40.1 MiB), 5 skipped, 2 mounted}. */
    public String summary() {
        List<String> parts = new ArrayList<>();
        for (ImageResult.Status status : ImageResult.Status.values()) {
            long n = count(status);
            if (n > 0) {
                parts.add(n + " " + status.text());
            }
        }
        return images.size() + (images.size() == 1 ? " image" : " images") + (parts.isEmpty() ? "" : ": " + String.join(", ", parts))
                + "; blobs: " + sum("copied") + " copied (" + Bytes.format(bytes()) + "), " + sum("skipped") + " skipped, "
                + sum("mounted") + " mounted" + leftOut();
    }

    /** The blobs no copy of the task moved on purpose, when there are any: {@code , 2 foreign not copied, 5 excluded}. */
    String leftOut() {
        return (sum("foreign") > 0 ? ", " + sum("foreign") + " foreign not copied" : "")
                + (sum("excluded") > 0 ? ", " + sum("excluded") + " excluded" : "");
    }

    private Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("images", images.stream().map(ImageResult::toData).toList());
        data.put("images_total", (long) images.size());
        data.put("images_copied", count(ImageResult.Status.COPIED));
        data.put("images_unchanged", count(ImageResult.Status.UNCHANGED));
        data.put("images_skipped", count(ImageResult.Status.SKIPPED));
        data.put("images_failed", count(ImageResult.Status.FAILED));
        data.put("blobs_copied", sum("copied"));
        data.put("blobs_skipped", sum("skipped"));
        data.put("blobs_mounted", sum("mounted"));
        data.put("blobs_foreign", sum("foreign"));
        data.put("blobs_excluded", sum("excluded"));
        data.put("bytes", bytes());
        return data;
    }

    private long sum(String what) {
        return images.stream().mapToLong(i -> switch (what) {
            case "copied" -> i.blobs().copied();
            case "skipped" -> i.blobs().skipped();
            case "foreign" -> i.blobs().foreign();
            case "excluded" -> i.blobs().excluded();
            default -> i.blobs().mounted();
        }).sum();
    }

    private long bytes() {
        return images.stream().mapToLong(r -> r.blobs().bytes()).sum();
    }
}
