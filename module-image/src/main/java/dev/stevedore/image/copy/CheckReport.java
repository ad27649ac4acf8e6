package dev.stevedore.image.copy;

import dev.stevedore.spi.Bytes;
import dev.stevedore.spi.ModuleResult;
import dev.stevedore.spi.TaskLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The module's result for a check run ({@code stevedore run --check}). It has every key of a real run's
 * result ({@link CopySummary}) with the values the real run would report, as Ansible's check mode does,
 * so that a playbook reads both alike; {@code changed} says whether the run would change anything. On top:
 * {@code check: true}, {@code mapping} (one {@code source=destination} per image that a run would copy or
 * finds up to date, as oc-mirror's {@code mapping.txt}) and, per image, {@code action}: {@code copy},
 * {@code up_to_date}, {@code skip} or {@code fail}.
 *
 * @param images        every image of every copy of the task, in order
 * @param requestErrors failures that kept a whole copy from being planned
 */
public record CheckReport(List<CheckedImage> images, List<String> requestErrors) {

    public CheckReport {
        images = List.copyOf(images);
        requestErrors = List.copyOf(requestErrors);
    }

    /** The mapping, one {@code source=destination} a line, in the order of the images. */
    public List<String> mapping() {
        return images.stream().map(CheckedImage::mapping).flatMap(Optional::stream).toList();
    }

    /** Prints the mapping on the task's output (stdout at every verbosity) and the summary with {@code -v}. */
    public void print(TaskLog log) {
        mapping().forEach(log::output);
        log.info("image: " + summary());
    }

    public ModuleResult toResult() {
        CopySummary forecast = forecast();
        ModuleResult real = forecast.toResult();
        Map<String, Object> data = new LinkedHashMap<>(real.data());
        data.put("check", true);
        data.put("mapping", mapping());
        data.put("images", images.stream().map(CheckReport::entry).toList());
        String stderr = real.isSkipped() && images.isEmpty() ? "check mode: " + real.stderr() : summary();
        return new ModuleResult(real.stdout(), stderr, real.error(), real.changed(), data);
    }

    /** For example {@code check mode: 3 images: 2 to copy, 1 up to date; blobs: 12 to copy (40.1 MiB), 5 already there, 2 to mount}. */
    public String summary() {
        CopySummary forecast = forecast();
        List<String> parts = new ArrayList<>();
        for (ImageResult.Status status : ImageResult.Status.values()) {
            long n = forecast.count(status);
            if (n > 0) {
                parts.add(n + " " + phrase(status));
            }
        }
        List<ImageResult> results = forecast.images();
        return "check mode: " + results.size() + (results.size() == 1 ? " image" : " images")
                + (parts.isEmpty() ? "" : ": " + String.join(", ", parts))
                + "; blobs: " + results.stream().mapToLong(r -> r.blobs().copied()).sum() + " to copy ("
                + Bytes.format(results.stream().mapToLong(r -> r.blobs().bytes()).sum()) + "), "
                + results.stream().mapToLong(r -> r.blobs().skipped()).sum() + " already there, "
                + results.stream().mapToLong(r -> r.blobs().mounted()).sum() + " to mount" + forecast.leftOut() + "; nothing was written";
    }

    private CopySummary forecast() {
        return new CopySummary(images.stream().map(CheckedImage::forecast).toList(), requestErrors);
    }

    private static Map<String, Object> entry(CheckedImage image) {
        Map<String, Object> entry = new LinkedHashMap<>(image.forecast().toData());
        entry.put("action", action(image.forecast().status()));
        return java.util.Collections.unmodifiableMap(entry);
    }

    private static String phrase(ImageResult.Status status) {
        return switch (status) {
            case COPIED -> "to copy";
            case UNCHANGED -> "up to date";
            case SKIPPED -> "skipped";
            case FAILED -> "failed";
        };
    }

    private static String action(ImageResult.Status status) {
        return switch (status) {
            case COPIED -> "copy";
            case UNCHANGED -> "up_to_date";
            case SKIPPED -> "skip";
            case FAILED -> "fail";
        };
    }
}
