package dev.stevedore.image.error;

import java.io.IOException;

/**
 * The base of every failure the image module reports to an operator. The message is written for a
 * user: what failed, for which image or registry, and what to do. It never contains a credential.
 */
public class ImageException extends IOException {

    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
