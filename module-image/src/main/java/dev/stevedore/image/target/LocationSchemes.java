package dev.stevedore.image.target;

/**
 * The prefixes a playbook names a target with, in one place for the copier's locations and for verify, which
 * reads bundles without the copier: a registry ({@code oci://}), a KubeKey images directory ({@code local://}),
 * an OCI image layout ({@code oci-layout://}) and a bundle archive ({@code archive://}).
 */
public final class LocationSchemes {

    public static final String OCI = "oci://";
    public static final String LOCAL = "local://";
    public static final String OCI_LAYOUT = "oci-layout://";
    public static final String ARCHIVE = "archive://";

    /**
     * What an OCI image layout lists as its images, said wherever a layout lists none: skopeo's {@code oci:DIR:1.0}
     * names an entry by its bare tag, which has no repository to push it to.
     */
    public static final String OCI_LAYOUT_LISTS = "the entries of index.json whose annotation"
            + " org.opencontainers.image.ref.name is a full reference (registry/repository:tag), not a bare tag such as"
            + " skopeo's oci:DIR:1.0 writes";

    private LocationSchemes() {
    }
}
