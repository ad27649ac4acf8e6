package dev.stevedore.image.store.archive;

import java.io.IOException;

/** A member whose bytes in the archive do not decode: the bundle is corrupt there, not the disk unreadable. */
final class CorruptMemberException extends IOException {

    CorruptMemberException(String message, Throwable cause) {
        super(message, cause);
    }
}
