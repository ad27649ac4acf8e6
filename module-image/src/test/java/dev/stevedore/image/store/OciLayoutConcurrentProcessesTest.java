package dev.stevedore.image.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stevedore.image.reference.ImageReference;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Separate processes tagging into one OCI layout at once lose no index entry (the OS lock on oci-layout). */
class OciLayoutConcurrentProcessesTest {

    private static final int IMAGES_PER_WRITER = 15;

    @TempDir
    Path dir;

    @Test
    void twoOtherProcessesAndThisOneTagIntoOneLayoutWithoutLosingEntries() throws Exception {
        List<Process> writers = new ArrayList<>();
        for (String name : List.of("first", "second")) {
            writers.add(new ProcessBuilder(javaExecutable(), "-cp", System.getProperty("java.class.path"), Writer.class.getName(),
                    dir.toString(), name).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start());
        }
        Writer.write(dir, "here");
        for (Process writer : writers) {
            if (!writer.waitFor(120, TimeUnit.SECONDS)) {
                writer.destroyForcibly();
            }
            assertEquals(0, writer.exitValue());
        }

        List<ImageReference> images = OciLayoutStore.open(dir.resolve("layout")).list();
        assertEquals(3 * IMAGES_PER_WRITER, images.size(), images.toString());
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java" + (File.separatorChar == '\\' ? ".exe" : "")).toString();
    }

    /**
     * The other process: tags its images one by one, each a read-modify-write of index.json, as that many
     * copies would, each closing its store at its end (one store writes its tags about once a second).
     */
    public static final class Writer {
        public static void main(String[] args) throws IOException {
            write(Path.of(args[0]), args[1]);
        }

        static void write(Path dir, String name) throws IOException {
            TestImages images = new TestImages(name.hashCode());
            for (int i = 0; i < IMAGES_PER_WRITER; i++) {
                TestImages.TestImage image = images.image("amd64", 0);
                try (OciLayoutStore store = OciLayoutStore.open(dir.resolve("layout"))) {
                    image.writeTo(store, ImageReference.parse("example.com/" + name + ":v" + i));
                }
            }
        }
    }
}
