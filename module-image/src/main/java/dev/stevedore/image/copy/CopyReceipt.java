package dev.stevedore.image.copy;

import dev.stevedore.image.receipt.Receipt;
import dev.stevedore.image.receipt.ReceiptFile;
import dev.stevedore.image.receipt.ReceiptImage;
import dev.stevedore.image.receipt.ReceiptTaker;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.target.ImageTarget;
import dev.stevedore.image.target.LocationSchemes;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The task argument {@code receipt: PATH}: after a copy, the receipt of what it left at its destination (every
 * image it copied or found up to date, as the destination now holds it), for the next delta bundle's
 * {@code exclude:}. Taken from the destination itself rather than from the plan, so that it says what is there.
 */
public final class CopyReceipt {

    private CopyReceipt() {
    }

    /** Writes the receipt of {@code results}' destinations to {@code request.options().receipts().write()}; nothing without it. */
    public static void write(TargetFactory factory, CopyRequest request, List<ImageResult> results, Clock clock) throws IOException {
        if (request.options().receipts().write() == null) {
            return;
        }
        Map<Where, List<ImageReference>> byTarget = new LinkedHashMap<>();
        for (ImageResult result : results) {
            if (result.status() == ImageResult.Status.COPIED || result.status() == ImageResult.Status.UNCHANGED) {
                addDestination(byTarget, result.destination());
            }
        }
        List<ReceiptImage> images = new ArrayList<>();
        Set<String> sources = new LinkedHashSet<>();
        String created = null;
        for (Map.Entry<Where, List<ImageReference>> entry : byTarget.entrySet()) {
            Where where = entry.getKey();
            try (ImageTarget target = where.directory() != null
                    ? factory.directory(where.directory().kind(), where.directory().path()) : factory.registries()) {
                Receipt receipt = new ReceiptTaker(target, clock).take(where.source(), entry.getValue());
                images.addAll(receipt.images());
                sources.add(where.source());
                created = receipt.created();
            }
        }
        Receipt receipt = Receipt.of(created == null ? clock.instant().toString() : created, String.join(" ", sources), images);
        ReceiptFile.write(request.options().receipts().write(), receipt);
    }

    /** One destination target: a registry ({@code directory} null) or a directory; {@code source} names it in the receipt. */
    private record Where(String source, Location directory) {
    }

    /** A result's destination: {@code oci://REF}, or {@code local://DIR#REF} and {@code oci-layout://DIR#REF}. */
    private static void addDestination(Map<Where, List<ImageReference>> byTarget, String destination) {
        int hash = destination.lastIndexOf('#');
        if (destination.startsWith(LocationSchemes.OCI) || hash < 0) {
            ImageReference image = Location.parse(destination, "receipt").reference();
            byTarget.computeIfAbsent(new Where(LocationSchemes.OCI + image.registry(), null), k -> new ArrayList<>()).add(image);
            return;
        }
        Location directory = Location.parse(destination.substring(0, hash), "receipt");
        byTarget.computeIfAbsent(new Where(directory.toString(), directory), k -> new ArrayList<>())
                .add(ImageReference.parse(destination.substring(hash + 1)));
    }
}
