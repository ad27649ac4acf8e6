import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.stream.Stream;

/**
 * The JVM's SHA-256 over every file of a directory, read as Stevedore's stores read blobs: the floor of
 * what verifying those bytes costs a JVM client (sha256sum, the other reference, is slower here: it does
 * not use the CPU's SHA instructions). Prints the seconds spent hashing, start-up excluded.
 *
 * <p>Usage: {@code java bench/HashFiles.java DIR}
 */
public final class HashFiles {

    public static void main(String[] args) throws Exception {
        List<Path> files;
        try (Stream<Path> listing = Files.list(Path.of(args[0]))) {
            files = listing.filter(Files::isRegularFile).toList();
        }
        ByteBuffer buffer = ByteBuffer.allocate(128 * 1024);
        long start = System.nanoTime();
        for (Path file : files) {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (FileChannel channel = FileChannel.open(file)) {
                while (channel.read(buffer.clear()) >= 0) {
                    sha256.update(buffer.flip());
                }
            }
            sha256.digest();
        }
        System.out.printf("%.2f%n", (System.nanoTime() - start) / 1e9);
    }
}
