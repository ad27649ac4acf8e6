package dev.stevedore.image.receipt;

import dev.stevedore.image.reference.Digest;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.SortedSet;
import java.util.TreeSet;

/** Sorted, immutable sets of digests: receipts list digests in one order so that two receipts of one state are equal files. */
final class Digests {

    static final Comparator<Digest> ORDER = Comparator.comparing(Digest::toString);

    private Digests() {
    }

    static SortedSet<Digest> sorted(Collection<Digest> digests) {
        SortedSet<Digest> set = new TreeSet<>(ORDER);
        if (digests != null) {
            set.addAll(digests);
        }
        return Collections.unmodifiableSortedSet(set);
    }

    static SortedSet<Digest> mutable() {
        return new TreeSet<>(ORDER);
    }
}
