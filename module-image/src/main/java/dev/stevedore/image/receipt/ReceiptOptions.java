package dev.stevedore.image.receipt;

import java.nio.file.Path;

/**
 * What a copy does with receipts (delta bundles): the one value a {@code CopyRequest} carries for them.
 *
 * @param exclude a receipt whose blobs a pull into a directory leaves out ({@code exclude:}), or null
 * @param write   where the receipt of what the copy left at its destination is written ({@code receipt:}), or null
 */
public record ReceiptOptions(Path exclude, Path write) {

    /** Neither: an ordinary copy. */
    public static final ReceiptOptions NONE = new ReceiptOptions(null, null);
}
