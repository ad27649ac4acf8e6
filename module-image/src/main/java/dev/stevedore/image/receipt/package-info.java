/**
 * Receipts and delta bundles: a {@link dev.stevedore.image.receipt.Receipt} says what the far side of an air
 * gap already holds (blob and manifest digests, with the images they belong to), {@link
 * dev.stevedore.image.receipt.ReceiptFile} is its JSON file, {@link dev.stevedore.image.receipt.ReceiptTaker}
 * takes one of any {@link dev.stevedore.image.target.ImageTarget}, and {@link
 * dev.stevedore.image.receipt.DeltaMarker} marks a bundle whose pull left the receipt's blobs out. Depends
 * on the target, OCI and reference packages only; the copier uses it, never the reverse.
 */
package dev.stevedore.image.receipt;
