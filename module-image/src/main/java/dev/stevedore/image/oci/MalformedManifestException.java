package dev.stevedore.image.oci;

/** A manifest whose JSON does not have the shape its media type promises. */
public class MalformedManifestException extends IllegalStateException {

    public MalformedManifestException(String message) {
        super(message);
    }
}
