package dev.stevedore.engine.cli;

/** A terminal's size in character cells. */
record ScreenSize(int columns, int rows) {

    /** What a VT100 has, for a terminal whose size cannot be read. */
    static final ScreenSize FALLBACK = new ScreenSize(80, 24);
}
