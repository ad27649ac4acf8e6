package dev.stevedore.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A scriptable, fault-injecting reverse proxy in front of a real server (usually a {@link RegistryServer}):
 * the client under test talks to {@link #hostPort()} as if it were the registry, and scripted faults make
 * chosen responses fail in precise ways (error statuses, cut or stalled bodies, flipped bytes, delays,
 * redirects). It exists so retry, resume and verification code is proven against real byte streams.
 * <pre>{@code
 * try (RegistryServer registry = RegistryServer.start();
 *      FaultProxy proxy = FaultProxy.start(registry.baseUri())) {
 *     proxy.on("GET", "/v2/.+/blobs/sha256:.+").resetAfterBodyBytes(1024);
 *     proxy.on("*", "/v2/.+").times(2).respond(503, Map.of("Retry-After", "1"), "");
 *     ... pull through proxy.hostPort(), then assert on proxy.requests() ...
 * }
 * }</pre>
 *
 * <p>HTTP/1.1 on 127.0.0.1, plain or (with {@link #startTls}) over TLS. Each client connection carries exactly one request: the proxy answers
 * with {@code Connection: close} and closes, and opens a fresh upstream connection per request, which keeps
 * every fault confined to one exchange. Upstream {@code Host} is set to the upstream's authority, and
 * {@code Location} headers pointing at the upstream origin are rewritten to the proxy's origin so uploads
 * keep going through the proxy. A request matching no fault (or one whose firings are used up) passes
 * through unchanged. Faults are tried in the order they were scripted; the first match fires. Body faults
 * apply to the response body unless {@link Fault#inRequestBody()} says otherwise.
 */
public final class FaultProxy implements AutoCloseable {
    private final ServerSocket serverSocket;
    private final ExecutorService executor;
    private final ProxyExchange exchange;
    private final List<FaultRule> faults = new CopyOnWriteArrayList<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private FaultProxy(ServerSocket serverSocket, URI upstream, SSLContext upstreamTls) {
        this.serverSocket = serverSocket;
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fault-proxy-" + serverSocket.getLocalPort());
            thread.setDaemon(true);
            return thread;
        });
        this.exchange = new ProxyExchange(upstream, upstreamTls, baseUri().toString(), this, requests::add);
    }

    /** A proxy in front of a plain-HTTP upstream such as {@code registry.baseUri()}. */
    public static FaultProxy start(URI upstream) throws IOException {
        return start(upstream, null);
    }

    /** A proxy in front of an HTTPS upstream, verified with {@code upstreamTls} (the proxy itself stays plain HTTP). */
    public static FaultProxy start(URI upstream, SSLContext upstreamTls) throws IOException {
        if (upstream.getScheme().equals("https") && upstreamTls == null) {
            throw new IllegalArgumentException("an https upstream needs an SSLContext that trusts it");
        }
        return listen(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), upstream, upstreamTls);
    }

    /**
     * A proxy that itself serves HTTPS with {@code serverTls} (see {@link TestCertificates#serverContext()}),
     * so what a client sends over TLS can be recorded too; the upstream may be plain or HTTPS.
     */
    public static FaultProxy startTls(URI upstream, SSLContext upstreamTls, SSLContext serverTls) throws IOException {
        if (upstream.getScheme().equals("https") && upstreamTls == null) {
            throw new IllegalArgumentException("an https upstream needs an SSLContext that trusts it");
        }
        return listen(serverTls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                upstream, upstreamTls);
    }

    private static FaultProxy listen(ServerSocket socket, URI upstream, SSLContext upstreamTls) {
        FaultProxy proxy = new FaultProxy(socket, upstream, upstreamTls);
        proxy.executor.execute(proxy::acceptLoop);
        return proxy;
    }

    /** {@code 127.0.0.1:PORT}, what goes into image references instead of the registry's. */
    public String hostPort() {
        return "127.0.0.1:" + serverSocket.getLocalPort();
    }

    public URI baseUri() {
        return URI.create((serverSocket instanceof javax.net.ssl.SSLServerSocket ? "https://" : "http://") + hostPort());
    }

    /**
     * Starts scripting a fault for requests whose method equals {@code method} (case-insensitive, {@code "*"}
     * for any) and whose path without the query string fully matches {@code pathRegex}. It fires once unless
     * {@link Fault#times(int)} says otherwise, and is armed when its action method is called.
     */
    public Fault on(String method, String pathRegex) {
        return new FaultRule(method, pathRegex, faults::add);
    }

    /** Every request so far, oldest first, with the status the client got. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Removes every scripted fault, fired or not; later requests pass through. */
    public void clearFaults() {
        faults.clear();
    }

    @Override
    public void close() {
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // Closing a server socket only fails if it is already closed.
        }
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "FaultProxy[" + baseUri() + "]";
    }

    /** The first armed fault matching this request that still has a firing left, now used; or null. */
    FaultRule claimFault(String method, String path, long requestBody) {
        for (FaultRule fault : faults) {
            if (fault.claim(method, path, requestBody)) {
                return fault;
            }
        }
        return null;
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket client = serverSocket.accept();
                open.add(client);
                executor.execute(() -> serve(client));
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                System.err.println("fault proxy " + hostPort() + ": accept failed: " + e.getMessage());
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try {
            exchange.handle(client);
        } catch (IOException e) {
            // The client or upstream went away mid-exchange; that ends this exchange only.
        } finally {
            open.remove(client);
            closeQuietly(client);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing left to do for a socket that cannot even close.
        }
    }

    /** One scripted fault; the action methods arm it. */
    public interface Fault {
        /** Fires for the next {@code n} matching requests (default 1), then they pass through. */
        Fault times(int n);

        /** Fires for every matching request until {@link FaultProxy#clearFaults()}. */
        Fault always();

        /**
         * Matches only requests whose body is longer than {@code n} bytes (a chunked body counts as longer),
         * as a proxy's body limit does ({@code client_max_body_size}): with {@code respond(413, ...)} it refuses
         * a blob sent in one request and lets smaller chunks through.
         */
        Fault whenRequestBodyOver(long n);

        /**
         * Applies the body fault that follows to the request body the client sends (an upload) instead of
         * the response body: reset cuts the client off (RST) after {@code n} bytes reached upstream,
         * truncate closes both connections there, stall pauses the forwarding, flip corrupts a forwarded
         * byte. A request cut this way is recorded with status 0.
         */
        Fault inRequestBody();

        /** Answers without contacting upstream, e.g. 500, 503, or 429 with {@code Retry-After}. */
        void respond(int status, Map<String, String> headers, String body);

        /** Forwards the upstream response but resets the TCP connection (RST) after {@code n} body bytes. */
        void resetAfterBodyBytes(long n);

        /** Sends {@code n} body bytes then closes cleanly; Content-Length is kept, so the body is short. */
        void truncateBodyAfter(long n);

        /** Sends {@code n} body bytes, stalls for {@code stall}, then sends the rest. */
        void stallBodyAfter(long n, Duration stall);

        /** Inverts every bit of the body byte at {@code offset}: same length, wrong digest. */
        void flipByteAt(long offset);

        /** Waits {@code delay} before forwarding the request, so the whole response is late. */
        void delay(Duration delay);

        /** Answers 307 with {@code Location: otherOrigin + the same path and query}. */
        void redirectTo(URI otherOrigin);
    }
}
