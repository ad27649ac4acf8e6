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

    private LocationSchemes() {
    }
}
