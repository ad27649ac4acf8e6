package dev.stevedore.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A wide-area link between clients and a server on this machine, for what the kernel's {@code netem} would
 * do where it is not available: a TCP proxy on 127.0.0.1 that delays every byte by half the round trip in
 * each direction and lets each direction carry at most the link's rate, for all its connections together.
 * <pre>{@code
 * try (RegistryServer registry = RegistryServer.start();
 *      LinkSimulator link = LinkSimulator.start(registry.baseUri(), LinkProfile.of(50, 200))) {
 *     ... pull through link.hostPort(): each request costs 50 ms and more, the bytes 200 Mbit/s ...
 * }
 * }</pre>
 *
 * <p>What it models, as a router's queue on a full-duplex line does: bytes queue for the link in the
 * order they come, whichever connection they belong to, and pass at the rate; then they travel the one-way
 * delay, so a request and its answer cost a full round trip, and a connection's first bytes wait one round
 * trip more for the TCP handshake. Each direction has its own rate, as on Ethernet, fibre and most
 * leased lines: a pull's requests going up take nothing from its blobs coming down. A sender meeting a full
 * queue (10 ms of traffic) waits, as TCP's flow control holds it back; nothing is dropped. What it does not
 * model is TCP's congestion control at the two ends: each side sees loopback, so a connection gets the
 * full rate from its first round trip without slow start, which makes the link kinder to new connections
 * than a real one. It forwards bytes and never reads them: plain HTTP and TLS alike.
 *
 * <p>Also a program, for {@code bench/run.sh}:
 * {@code java LinkSimulator PORT UPSTREAM_HOST:PORT ROUND_TRIP_MS MBIT_PER_S}; it runs until stopped and
 * then prints its {@link LinkCounters} to stderr.
 */
public final class LinkSimulator implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final ServerSocket serverSocket;
    private final InetSocketAddress upstream;
    private final LinkProfile profile;
    private final LinkDirection up;
    private final LinkDirection down;
    private final ExecutorService executor;
    private final Set<LinkConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();

    private LinkSimulator(ServerSocket serverSocket, InetSocketAddress upstream, LinkProfile profile) {
        this.serverSocket = serverSocket;
        this.upstream = upstream;
        this.profile = profile;
        this.up = new LinkDirection(profile);
        this.down = new LinkDirection(profile);
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "link-" + serverSocket.getLocalPort());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A link to {@code upstream} (such as {@code registry.baseUri()}), on a free port. */
    public static LinkSimulator start(URI upstream, LinkProfile profile) throws IOException {
        int port = upstream.getPort() != -1 ? upstream.getPort() : upstream.getScheme().equals("https") ? 443 : 80;
        return start(0, new InetSocketAddress(upstream.getHost(), port), profile);
    }

    /** A link to {@code upstream} listening on 127.0.0.1:{@code port} (0: a free one). */
    public static LinkSimulator start(int port, InetSocketAddress upstream, LinkProfile profile) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        LinkSimulator link = new LinkSimulator(socket, upstream, profile);
        link.executor.execute(link::acceptLoop);
        return link;
    }

    /** {@code 127.0.0.1:PORT}, what clients use instead of the upstream's address. */
    public String hostPort() {
        return "127.0.0.1:" + serverSocket.getLocalPort();
    }

    /** {@code http://127.0.0.1:PORT}; for a TLS upstream, use {@code https://} with {@link #hostPort()}. */
    public URI baseUri() {
        return URI.create("http://" + hostPort());
    }

    public LinkProfile profile() {
        return profile;
    }

    /** What has crossed the link so far. */
    public LinkCounters counters() {
        return new LinkCounters(connections.get(), up.bytes(), down.bytes());
    }

    @Override
    public void close() {
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // Closing a server socket only fails if it is already closed.
        }
        for (LinkConnection connection : open) {
            connection.abort();
        }
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "LinkSimulator[" + hostPort() + " -> " + upstream + ", " + profile + "]";
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket client = serverSocket.accept();
                // The handshake is counted from here: on the link, the client's first bytes leave only now.
                long handshakeEnd = System.nanoTime() + profile.roundTrip().toNanos();
                connections.incrementAndGet();
                connect(client, handshakeEnd);
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                System.err.println("link " + hostPort() + ": accept failed: " + e.getMessage());
            } catch (RejectedExecutionException shuttingDown) {
                return;
            }
        }
    }

    private void connect(Socket client, long handshakeEnd) throws IOException {
        Socket server = new Socket();
        try {
            server.connect(upstream, CONNECT_TIMEOUT_MILLIS);
            // Small writes (requests, acknowledgements of uploads) must not wait for Nagle's algorithm.
            server.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
        } catch (IOException e) {
            System.err.println("link " + hostPort() + ": cannot reach " + upstream + ": " + e.getMessage());
            client.setSoLinger(true, 0);
            client.close();
            server.close();
            return;
        }
        LinkConnection connection = new LinkConnection(client, server, open::remove);
        open.add(connection);
        connection.start(executor, up, down, handshakeEnd);
    }

    /** {@code PORT UPSTREAM_HOST:PORT ROUND_TRIP_MS MBIT_PER_S}: runs until stopped, then prints its counters. */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: LinkSimulator PORT UPSTREAM_HOST:PORT ROUND_TRIP_MS MBIT_PER_S");
            System.exit(2);
        }
        int colon = args[1].lastIndexOf(':');
        InetSocketAddress upstream = new InetSocketAddress(args[1].substring(0, colon),
                Integer.parseInt(args[1].substring(colon + 1)));
        LinkProfile profile = LinkProfile.of(Long.parseLong(args[2]), Long.parseLong(args[3]));
        LinkSimulator link = start(Integer.parseInt(args[0]), upstream, profile);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("link " + link.hostPort() + " -> " + upstream + " (" + profile + "): " + link.counters());
            link.close();
        }));
        System.err.println("link " + link.hostPort() + " -> " + upstream + " (" + profile + ") ready");
        Thread.currentThread().join();
    }
}
