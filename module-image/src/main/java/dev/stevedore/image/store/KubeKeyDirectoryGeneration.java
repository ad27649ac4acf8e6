package dev.stevedore.image.store;

import dev.stevedore.image.store.StoreOptions.KubeKeyLayout;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.Set;

/**
 * The generation a KubeKey images directory "already uses", for a repository new to it when the task does
 * not choose: today's when every repository holding a tag is of today's generation, else (an empty
 * directory, first-generation repositories, or a mix of both) the first, the original's default.
 */
final class KubeKeyDirectoryGeneration {

    private KubeKeyDirectoryGeneration() {
    }

    static KubeKeyLayout of(StoreRoot root) throws IOException {
        if (!Files.isDirectory(root.path())) {
            return KubeKeyLayout.KUBEKEY_V1;
        }
        Path blobs = root.path().resolve("blobs");
        Set<KubeKeyLayout> found = EnumSet.noneOf(KubeKeyLayout.class);
        Files.walkFileTree(root.path(), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.equals(blobs)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (dir.getFileName() != null && dir.getFileName().toString().equals("manifests")) {
                    KubeKeyRepository.generationOf(dir).ifPresent(found::add);
                    // A mix cannot become unanimous again: stop looking.
                    return found.size() > 1 ? FileVisitResult.TERMINATE : FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // unreadable: says nothing about the generation
            }
        });
        return found.equals(EnumSet.of(KubeKeyLayout.KUBEKEY_V2)) ? KubeKeyLayout.KUBEKEY_V2 : KubeKeyLayout.KUBEKEY_V1;
    }
}
