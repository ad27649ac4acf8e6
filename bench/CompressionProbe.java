import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What zstd would give a bundle archive: each file compressed and decompressed by the two zstd libraries a
 * JVM can use, zstd-jni (the C library through JNI) and aircompressor (pure Java), both at zstd's default
 * level 3, in one thread, each pass streamed from and to disk as an archive store would. Prints one
 * Markdown row per file and library: the compressed size against the file's, and each direction's rate.
 *
 * <p>Both libraries must be on the class path; {@code bench/compression.sh} puts them there and makes the
 * inputs. Usage: {@code java -cp JARS bench/CompressionProbe.java RUNS WORK LABEL=FILE...}
 */
public final class CompressionProbe {

    private static final int BUFFER = 128 * 1024;

    /** One library: a compressing stream over a file's output, and a decompressing one over its input. */
    interface Codec {
        String name();

        OutputStream compressing(OutputStream out) throws IOException;

        InputStream decompressing(InputStream in) throws IOException;
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        Path work = Path.of(args[1]);
        List<Codec> codecs = List.of(new Codec() {
            public String name() {
                return "zstd-jni " + com.github.luben.zstd.util.Native.class.getPackage().getImplementationVersion();
            }

            public OutputStream compressing(OutputStream out) throws IOException {
                return new com.github.luben.zstd.ZstdOutputStream(out, 3);
            }

            public InputStream decompressing(InputStream in) throws IOException {
                return new com.github.luben.zstd.ZstdInputStream(in);
            }
        }, new Codec() {
            public String name() {
                return "aircompressor " + io.airlift.compress.zstd.ZstdOutputStream.class.getPackage().getImplementationVersion();
            }

            public OutputStream compressing(OutputStream out) throws IOException {
                return new io.airlift.compress.zstd.ZstdOutputStream(out);
            }

            public InputStream decompressing(InputStream in) throws IOException {
                return new io.airlift.compress.zstd.ZstdInputStream(in);
            }
        });
        System.out.println("| content | size MB | library | compressed | saved | compress MB/s | decompress MB/s | runs |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (String spec : Arrays.copyOfRange(args, 2, args.length)) {
            String label = spec.substring(0, spec.indexOf('='));
            Path input = Path.of(spec.substring(spec.indexOf('=') + 1));
            long size = Files.size(input);
            for (Codec codec : codecs) {
                Path compressed = work.resolve("probe.zst");
                List<Double> in = new ArrayList<>();
                List<Double> out = new ArrayList<>();
                for (int run = 0; run < runs; run++) {
                    long start = System.nanoTime();
                    try (InputStream from = Files.newInputStream(input); OutputStream to = codec.compressing(Files.newOutputStream(compressed))) {
                        copy(from, to);
                    }
                    in.add((System.nanoTime() - start) / 1e9);
                    start = System.nanoTime();
                    long restored;
                    try (InputStream from = codec.decompressing(new BufferedInputStream(Files.newInputStream(compressed), BUFFER))) {
                        restored = copy(from, OutputStream.nullOutputStream());
                    }
                    out.add((System.nanoTime() - start) / 1e9);
                    if (restored != size) {
                        throw new IllegalStateException(codec.name() + " gave back " + restored + " bytes of " + input + "'s " + size);
                    }
                }
                long packed = Files.size(compressed);
                System.out.printf("| %s | %.1f | %s | %.2f %% | %.2f %% | %.0f | %.0f | %d |%n", label, size / 1e6, codec.name(),
                        100.0 * packed / size, 100.0 * (size - packed) / size, size / 1e6 / median(in), size / 1e6 / median(out), runs);
                Files.delete(compressed);
            }
        }
    }

    private static long copy(InputStream from, OutputStream to) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        for (int n; (n = from.read(buffer)) > 0; ) {
            to.write(buffer, 0, n);
            total += n;
        }
        return total;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
