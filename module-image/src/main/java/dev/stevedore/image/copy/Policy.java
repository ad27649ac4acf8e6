package dev.stevedore.image.copy;

import java.util.Locale;

/** What a requested platform that an image does not have leads to. */
public enum Policy {
    /** The image fails (the default): an operator asked for something that is not there. */
    STRICT,
    /** A warning is logged and the platforms that exist are copied. */
    WARN;

    public static Policy of(String text) {
        return text == null ? STRICT : valueOf(text.toUpperCase(Locale.ROOT));
    }
}
