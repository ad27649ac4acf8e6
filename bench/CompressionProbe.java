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
 * level 3, in one thread, each pass streamed from and to disk as an archive store would, and by the zstd
 * command for reference when {@code -Dzstd.command.version} names its version. Prints one Markdown row per
 * file and codec: the compressed size against the file's, and each direction's rate (median of RUNS).
 *
 * <p>Both libraries must be on the class path; {@code bench/compression.sh} puts them there and makes the
 * inputs. Usage: {@code java -cp JARS bench/CompressionProbe.java RUNS WORK LABEL=FILE...}
 */
public final class CompressionProbe {

    private static final int BUFFER = 128 * 1024;

    /** One way to compress a file into another and to decompress that, counting the bytes given back. */
    interface Codec {
        String name();

        void compress(Path from, Path to) throws IOException;

        long decompress(Path from) throws IOException;
    }

    /** A library, through its compressing and decompressing streams. */
    abstract static class Library implements Codec {
        abstract OutputStream compressing(OutputStream out) throws IOException;

        abstract InputStream decompressing(InputStream in) throws IOException;

        public void compress(Path from, Path to) throws IOException {
            try (InputStream in = Files.newInputStream(from); OutputStream out = compressing(Files.newOutputStream(to))) {
                copy(in, out);
            }
        }

        public long decompress(Path from) throws IOException {
            try (InputStream in = decompressing(new BufferedInputStream(Files.newInputStream(from), BUFFER))) {
                return copy(in, OutputStream.nullOutputStream());
            }
        }
    }

    /** The zstd command, at the same level and in one thread, for reference: its process start is in its time. */
    static final class Command implements Codec {
        private final String version;

        Command(String version) {
            this.version = version;
        }

        public String name() {
            return "zstd command " + version + " (reference)";
        }

        public void compress(Path from, Path to) throws IOException {
            finish(start("-q", "-3", "-T1", "-f", from.toString(), "-o", to.toString()));
        }

        /** To its standard output, counted here as the libraries' output is. */
        public long decompress(Path from) throws IOException {
            Process zstd = start("-q", "-d", "-c", from.toString());
            long restored;
            try (InputStream out = zstd.getInputStream()) {
                restored = copy(out, OutputStream.nullOutputStream());
            }
            finish(zstd);
            return restored;
        }

        private static Process start(String... arguments) throws IOException {
            List<String> command = new ArrayList<>(List.of("zstd"));
            command.addAll(List.of(arguments));
            return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        }

        private static void finish(Process zstd) throws IOException {
            try {
                int status = zstd.waitFor();
                if (status != 0) {
                    throw new IOException(zstd.info().commandLine().orElse("zstd") + " exited with " + status);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        Path work = Path.of(args[1]);
        List<Codec> codecs = new ArrayList<>(List.of(new Library() {
            public String name() {
                return "zstd-jni " + com.github.luben.zstd.util.Native.class.getPackage().getImplementationVersion();
            }

            OutputStream compressing(OutputStream out) throws IOException {
                return new com.github.luben.zstd.ZstdOutputStream(out, 3);
            }

            InputStream decompressing(InputStream in) throws IOException {
                return new com.github.luben.zstd.ZstdInputStream(in);
            }
        }, new Library() {
            public String name() {
                return "aircompressor " + io.airlift.compress.zstd.ZstdOutputStream.class.getPackage().getImplementationVersion();
            }

            OutputStream compressing(OutputStream out) throws IOException {
                return new io.airlift.compress.zstd.ZstdOutputStream(out);
            }

            InputStream decompressing(InputStream in) throws IOException {
                return new io.airlift.compress.zstd.ZstdInputStream(in);
            }
        }));
        String command = System.getProperty("zstd.command.version", "");
        if (!command.isEmpty()) {
            codecs.add(new Command(command));
        }
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
                    codec.compress(input, compressed);
                    in.add((System.nanoTime() - start) / 1e9);
                    start = System.nanoTime();
                    long restored = codec.decompress(compressed);
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
