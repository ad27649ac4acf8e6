package dev.stevedore.image.args;

import dev.stevedore.image.copy.PlatformSelection;
/** The value types an argument can declare; {@link ArgSpec} converts and checks values against them. */
public enum ArgType {
    /** A string; numbers and booleans written unquoted in YAML are accepted as their text. */
    STRING,
    /** A string that must not be empty or blank. */
    NON_EMPTY_STRING,
    /** {@code true}/{@code false}, also as the strings {@code true}, {@code false}, {@code yes}, {@code no}. */
    BOOLEAN,
    /** A positive integer, also as a string of digits. */
    POSITIVE_INTEGER,
    /** A list of strings, or one string holding a list (see {@link ListText}). */
    STRING_LIST,
    /** A number of bytes, or a number with a unit ({@code 5MiB}, {@code 5M}, {@code 1GB}), at least 64 KiB: a {@link ByteSize}. */
    SIZE,
    /** A regular expression, compiled to a {@link java.util.regex.Pattern}. */
    REGEX,
    /** {@code all}, one {@code os/arch[/variant]}, or a list of them: a {@link PlatformSelection}. */
    PLATFORMS,
    /** A list of maps, each checked against the argument's nested spec. */
    OBJECT_LIST,
    /** A map checked against the argument's nested spec. */
    OBJECT;

    /** How the type reads in an error message. */
    String describe() {
        return switch (this) {
            case STRING -> "a string";
            case NON_EMPTY_STRING -> "a non-empty string";
            case BOOLEAN -> "a boolean (true or false)";
            case POSITIVE_INTEGER -> "a positive integer";
            case STRING_LIST -> "a list of strings";
            case SIZE -> "a size of at least 64KiB, such as 5MiB";
            case REGEX -> "a regular expression";
            case PLATFORMS -> "'all', a platform such as linux/amd64, or a list of platforms";
            case OBJECT_LIST -> "a list of maps";
            case OBJECT -> "a map";
        };
    }
}
