package dev.stevedore.image.copy;

/**
 * Which step of an {@code image} task a copy is: the classic form's {@code pull} and {@code push}, or a
 * {@code copy} (the newer and the deprecated copy forms). It names the step in messages and results, and
 * decides the argument names those messages quote, since each form spells them its own way.
 */
public enum CopyStep {
    /** The classic form's {@code pull:}: registries into its {@code images_dir}. */
    PULL("pull", "src", "pattern"),
    /** The classic form's {@code push:}: its {@code images_dir} into a registry. */
    PUSH("push", "images_dir", "src_pattern"),
    /** The newer form, and the deprecated {@code copy:}. */
    COPY("copy", "src", "pattern");

    private final String label;
    private final String sourceKey;
    private final String patternKey;

    CopyStep(String label, String sourceKey, String patternKey) {
        this.label = label;
        this.sourceKey = sourceKey;
        this.patternKey = patternKey;
    }

    /** {@code pull}, {@code push} or {@code copy}: how messages and progress name the step. */
    public String label() {
        return label;
    }

    /** The argument a user fixes when the directory source is wrong: {@code images_dir} for a push. */
    public String sourceKey() {
        return sourceKey;
    }

    /** The argument that filters the images by name: {@code src_pattern} for a push. */
    public String patternKey() {
        return patternKey;
    }

    @Override
    public String toString() {
        return label;
    }
}
