package dev.stevedore.image.store.archive;

/** {@link ArchiveIntegrityTest} on a {@code .tar.zst}: the sums, verify and the push's refusal are the same. */
class ZstdArchiveIntegrityTest extends ArchiveIntegrityTest {

    @Override
    String bundle() {
        return "bundle.tar.zst";
    }
}
