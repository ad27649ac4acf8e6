package dev.stevedore.engine.playbook;

/**
 * A place in a playbook file, 1-based, printed the way compilers do ({@code hello.yaml:12:5}) so
 * that editors and terminals can jump to it.
 */
public record Location(String file, int line, int column) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
