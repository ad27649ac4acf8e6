package dev.stevedore.image.copy;

import dev.stevedore.image.target.ForeignLayerSource;
import dev.stevedore.image.target.ImageTarget;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens the {@link ImageTarget}s of one copy: the seam between the copier, which knows only targets, and
 * the registry client and the stores. It is bound to the request's settings (credentials, TLS, push and
 * store options) before the copier gets it, so that none of them passes through the copier. Tests pass
 * in-memory targets through it.
 */
public interface TargetFactory {

    /** A target reaching every registry the copy names. */
    ImageTarget registries() throws IOException;

    /** A KubeKey images directory ({@code local://}) or an OCI image layout ({@code oci-layout://}). */
    ImageTarget directory(Location.Kind kind, Path path) throws IOException;

    /** Reads foreign layers from the URLs their descriptors list ({@code foreign_layers: include}). */
    ForeignLayerSource foreignLayers() throws IOException;
}
