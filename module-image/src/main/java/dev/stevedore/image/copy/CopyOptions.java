package dev.stevedore.image.copy;

import dev.stevedore.image.receipt.ReceiptOptions;
import java.util.Objects;

/**
 * How a copy runs, whatever it copies.
 *
 * @param foreignLayers whether layers with {@code urls} that the source lacks are fetched from those URLs
 * @param concurrency   large transfers in flight at once, across images and blobs (small ones: {@link TransferSlots})
 * @param referrers     whether what refers to each copied manifest (signatures, SBOMs, attestations) is copied too
 * @param receipts      the receipt whose blobs a pull leaves out ({@code exclude}), and where the receipt of the
 *                      copy's result is written ({@code receipt}); {@link ReceiptOptions#NONE} for neither
 */
public record CopyOptions(ForeignLayers foreignLayers, int concurrency, boolean referrers, ReceiptOptions receipts) {

    public CopyOptions {
        Objects.requireNonNull(foreignLayers, "foreignLayers");
        Objects.requireNonNull(receipts, "receipts");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be positive, got " + concurrency);
        }
    }
}
