package dev.stevedore.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The link simulator on real sockets. Lower bounds are exact (the simulator never delivers early); upper
 * bounds leave room for a loaded 2-core machine, and are set where a wrong model would land well above
 * them: a second handshake, a cap per connection, one rate shared by both directions.
 */
@Timeout(120)
class LinkSimulatorTest {
    private static final long MB = 1_000_000;

    private PatternServer server;
    private LinkSimulator link;
    private final ExecutorService clients = Executors.newCachedThreadPool();

    @BeforeEach
    void startServer() throws IOException {
        server = PatternServer.start();
    }

    @AfterEach
    void stopAll() throws IOException {
        clients.shutdownNow();
        if (link != null) {
            link.close();
        }
        server.close();
    }

    @Test
    void aConnectionsFirstRequestWaitsForTheHandshakeAndEveryRequestCostsAFullRoundTrip() throws Exception {
        link = LinkSimulator.start(server.uri(), LinkProfile.of(300, 100));
        // Timed from before the connect: the link counts the handshake from its accept, which can come before a
        // clock started after connect() returns (599.3 ms was once measured that way).
        long opening = System.nanoTime();
        try (Socket socket = connect()) {
            request(socket, 0, 1);
            long first = System.nanoTime() - opening;
            List<Long> later = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                later.add(request(socket, 0, 1));
            }

            assertTrue(first >= millis(600), "handshake and round trip: " + first / 1e6 + " ms");
            for (long each : later) {
                assertTrue(each >= millis(300), "a round trip: " + each / 1e6 + " ms");
            }
            long fastest = later.stream().mapToLong(Long::longValue).min().orElseThrow();
            assertTrue(fastest < millis(550), "no second handshake: " + later);
        }
        assertEquals(new LinkCounters(1, 4 * 16, 4), link.counters());
    }

    @Test
    void oneConnectionGetsTheRateAndTheBytesArriveIntact() throws Exception {
        LinkProfile profile = LinkProfile.of(20, 16);
        link = LinkSimulator.start(server.uri(), profile);
        long opening = System.nanoTime(); // before the connect, as the handshake is counted from the link's accept
        try (Socket socket = connect()) {
            request(socket, 0, 3 * MB);
            long elapsed = System.nanoTime() - opening;

            long floor = profile.transmission(3 * MB).plus(profile.roundTrip().multipliedBy(2)).toNanos();
            assertTrue(elapsed >= floor, "3 MB at 2 MB/s after the handshake and a round trip: " + elapsed / 1e6 + " ms");
            assertTrue(elapsed < 2 * floor + millis(1000), "the link's rate, not much less: " + elapsed / 1e6 + " ms");
        }
        assertEquals(3 * MB, link.counters().bytesDown());
    }

    @Test
    void connectionsShareOneLink() throws Exception {
        LinkProfile profile = LinkProfile.of(20, 16);
        link = LinkSimulator.start(server.uri(), profile);
        long start = System.nanoTime();

        List<Long> done = all(List.of(() -> downloadOn(1_500_000), () -> downloadOn(1_500_000)));

        long both = done.stream().mapToLong(at -> at - start).max().orElseThrow();
        // A cap per connection would let both finish in the time one takes alone: half of this.
        assertTrue(both >= profile.transmission(3 * MB).toNanos(), "two 1.5 MB downloads at 2 MB/s: " + both / 1e6 + " ms");
        assertEquals(new LinkCounters(2, 32, 3 * MB), link.counters());
    }

    @Test
    void eachDirectionCarriesTheFullRate() throws Exception {
        LinkProfile profile = LinkProfile.of(20, 32);
        link = LinkSimulator.start(server.uri(), profile);
        long start = System.nanoTime();

        List<Long> done = all(List.of(() -> uploadOn(4 * MB), () -> downloadOn(4 * MB)));

        for (long at : done) {
            assertTrue(at - start >= profile.transmission(4 * MB).toNanos(), "4 MB at 4 MB/s: " + (at - start) / 1e6 + " ms");
        }
        long both = done.stream().mapToLong(at -> at - start).max().orElseThrow();
        // One rate for both directions would need at least 2 s for the 8 MB; each direction alone takes 1 s.
        assertTrue(both < millis(1850), "an upload and a download at once, each at the full rate: " + both / 1e6 + " ms");
        assertEquals(4 * MB + 32, link.counters().bytesUp());
        assertEquals(4 * MB + 1, link.counters().bytesDown());
    }

    @Test
    void aClosedConnectionEndsOnBothSidesAfterTheRoundTrip() throws Exception {
        link = LinkSimulator.start(server.uri(), LinkProfile.of(200, 100));
        try (Socket socket = connect()) {
            request(socket, 0, 1);
            long start = System.nanoTime();

            socket.shutdownOutput(); // the server sees the end after one way and closes; its end comes back
            int read = socket.getInputStream().read();

            assertEquals(-1, read);
            assertTrue(System.nanoTime() - start >= millis(200), "the end travelled both ways");
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", Integer.parseInt(link.hostPort().split(":")[1]));
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** The System.nanoTime() at which a download of {@code bytes} on a new connection ended. */
    private long downloadOn(long bytes) throws IOException {
        try (Socket socket = connect()) {
            request(socket, 0, bytes);
            return System.nanoTime();
        }
    }

    /** The System.nanoTime() at which an upload of {@code bytes} on a new connection was answered. */
    private long uploadOn(long bytes) throws IOException {
        try (Socket socket = connect()) {
            request(socket, bytes, 1);
            return System.nanoTime();
        }
    }

    /** Sends {@code upload} bytes and reads {@code download} back, checking each; returns the nanoseconds taken. */
    private static long request(Socket socket, long upload, long download) throws IOException {
        long start = System.nanoTime();
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeLong(upload);
        out.writeLong(download);
        byte[] buffer = new byte[64 * 1024];
        for (long left = upload; left > 0; left -= Math.min(buffer.length, left)) {
            out.write(buffer, 0, (int) Math.min(buffer.length, left));
        }
        out.flush();
        InputStream in = socket.getInputStream();
        for (long offset = 0; offset < download; ) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, download - offset));
            if (n < 0) {
                throw new IOException("the answer ended at " + offset + " of " + download + " bytes");
            }
            for (int i = 0; i < n; i++) {
                if (buffer[i] != PatternServer.patternByte(offset + i)) {
                    throw new IOException("byte " + (offset + i) + " of the answer differs");
                }
            }
            offset += n;
        }
        return System.nanoTime() - start;
    }

    private List<Long> all(List<Callable<Long>> tasks) throws Exception {
        List<Long> results = new ArrayList<>();
        for (Future<Long> future : clients.invokeAll(tasks)) {
            results.add(future.get());
        }
        return results;
    }

    private static long millis(long ms) {
        return Duration.ofMillis(ms).toNanos();
    }
}
