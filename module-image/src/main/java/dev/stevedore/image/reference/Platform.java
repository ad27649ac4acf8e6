package dev.stevedore.image.reference;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An image platform, {@code os/architecture[/variant]}, normalized as containerd does: {@code arm64}
 * means variant {@code v8} and {@code arm} means {@code v7} unless a variant is given.
 *
 * @param variant empty when the platform has none
 */
public record Platform(String os, String architecture, String variant) {

    private static final Pattern PART = Pattern.compile("[a-z0-9_.-]+");

    public Platform {
        os = requirePart(os, "os");
        architecture = requirePart(architecture, "architecture");
        variant = variant == null ? "" : variant;
        if (!variant.isEmpty() && !PART.matcher(variant).matches()) {
            throw new InvalidReferenceException("invalid platform variant '" + variant + "'");
        }
    }

    /** Parses {@code os/arch[/variant]}, for example {@code linux/arm64/v8}. */
    public static Platform parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidReferenceException("empty platform: expected 'os/architecture[/variant]', for example linux/amd64");
        }
        String[] parts = text.trim().split("/", -1);
        if (parts.length < 2 || parts.length > 3 || (parts.length == 3 && parts[2].isEmpty())) {
            throw new InvalidReferenceException("invalid platform '" + text + "': expected 'os/architecture[/variant]', for example linux/amd64");
        }
        try {
            return new Platform(parts[0].toLowerCase(Locale.ROOT), parts[1].toLowerCase(Locale.ROOT),
                    parts.length == 3 ? parts[2].toLowerCase(Locale.ROOT) : "");
        } catch (InvalidReferenceException e) {
            throw new InvalidReferenceException("invalid platform '" + text + "': " + e.getMessage());
        }
    }

    /** The variant a missing one stands for: {@code v8} for arm64, {@code v7} for arm. */
    public String effectiveVariant() {
        if (!variant.isEmpty()) {
            return variant;
        }
        return switch (architecture) {
            case "arm64" -> "v8";
            case "arm" -> "v7";
            default -> "";
        };
    }

    /** Whether an image of platform {@code candidate} satisfies this requested platform. */
    public boolean matches(Platform candidate) {
        return os.equals(candidate.os)
                && architecture.equals(candidate.architecture)
                && effectiveVariant().equals(candidate.effectiveVariant());
    }

    @Override
    public String toString() {
        return variant.isEmpty() ? os + "/" + architecture : os + "/" + architecture + "/" + variant;
    }

    private static String requirePart(String value, String what) {
        Objects.requireNonNull(value, what);
        if (!PART.matcher(value).matches()) {
            throw new InvalidReferenceException("invalid platform " + what + " '" + value + "'");
        }
        return value;
    }
}
