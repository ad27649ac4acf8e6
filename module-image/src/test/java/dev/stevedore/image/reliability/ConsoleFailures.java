package dev.stevedore.image.reliability;

import java.util.ArrayList;
import java.util.List;

/** The failures a run printed on stderr: each {@code failed:} line joined with the {@code - image: reason} lines under it. */
final class ConsoleFailures {

    private ConsoleFailures() {
    }

    static List<String> of(List<String> stderr) {
        List<String> failures = new ArrayList<>();
        for (String line : stderr) {
            if (line.startsWith("failed:")) {
                failures.add(line);
            } else if (line.startsWith("  - ") && !failures.isEmpty()) {
                failures.set(failures.size() - 1, failures.get(failures.size() - 1) + " " + line.strip());
            }
        }
        return failures;
    }
}
