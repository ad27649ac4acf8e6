package dev.stevedore.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real forward HTTP proxy (Debian's {@code tinyproxy}) on a free 127.0.0.1 port, started as a child
 * process and stopped by PID. It exists so {@code HTTP_PROXY}/{@code HTTPS_PROXY} handling is tested
 * against a real proxy: plain requests arrive in absolute form, HTTPS ones as {@code CONNECT host:port}.
 * <pre>{@code
 * try (HttpProxyServer proxy = HttpProxyServer.start()) {
 *     env.put("HTTPS_PROXY", proxy.uri().toString());
 *     ... pull from a TLS registry ...
 *     assertTrue(proxy.requests().contains("CONNECT " + registry.hostPort()));
 * }
 * }</pre>
 * Any CONNECT port is allowed and no {@code Via} header is added.
 *
 * <p>{@link #startWithBasicAuth} makes it a proxy that wants a user and password (tinyproxy's
 * {@code BasicAuth}), for plain requests and CONNECT alike. tinyproxy 1.11 answers a request without
 * {@code Proxy-Authorization} with 407 and a {@code Proxy-Authenticate: Basic} challenge, but a wrong
 * user or password with 401 and {@code WWW-Authenticate} (as its source does; squid answers 407 to both),
 * and it does not forward {@code Proxy-Authorization} upstream.
 */
public final class HttpProxyServer implements AutoCloseable {
    private static final long START_TIMEOUT_MILLIS = 10_000;
    private static final Pattern REQUEST = Pattern.compile("Request \\(file descriptor \\d+\\): (\\S+) (\\S+) HTTP/");

    private final Path workDir;
    private final int port;
    private Process process;
    private final Thread shutdownHook;

    private HttpProxyServer(Path workDir, int port, Process process) {
        this.workDir = workDir;
        this.port = port;
        this.process = process;
        // A test JVM that dies without close() must not leave tinyproxy running.
        this.shutdownHook = new Thread(process::destroyForcibly, "stop tinyproxy " + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts tinyproxy and waits until it accepts connections (at most 10 s). */
    public static HttpProxyServer start() throws IOException {
        return start(null, null);
    }

    /**
     * Starts tinyproxy requiring Basic authentication with this user and password (letters, digits and
     * {@code -_.~!*} only: tinyproxy's config has no quoting for them).
     */
    public static HttpProxyServer startWithBasicAuth(String user, String password) throws IOException {
        if (!user.matches("[A-Za-z0-9._~!*-]+") || !password.matches("[A-Za-z0-9._~!*-]+")) {
            throw new IllegalArgumentException("tinyproxy's BasicAuth takes letters, digits and -_.~!* only");
        }
        return start(user, password);
    }

    private static HttpProxyServer start(String user, String password) throws IOException {
        Path workDir = TempDirs.create("http-proxy");
        try {
            for (int attempt = 1; ; attempt++) {
                int port = FreePorts.find();
                Process process = launch(workDir, port, user, password);
                if (awaitReady(process, workDir.resolve("tinyproxy.log"))) {
                    return new HttpProxyServer(workDir, port, process);
                }
                if (attempt == 5) {
                    throw new IOException("tinyproxy did not start; see " + workDir.resolve("tinyproxy.log")
                            + " and " + workDir.resolve("tinyproxy.out"));
                }
            }
        } catch (IOException | RuntimeException e) {
            TempDirs.deleteRecursively(workDir);
            throw e;
        }
    }

    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** {@code http://127.0.0.1:PORT}, the value for {@code HTTP_PROXY} and {@code HTTPS_PROXY}. */
    public URI uri() {
        return URI.create("http://" + hostPort());
    }

    /** For {@code ProxySelector.of(...)} in JDK HttpClient tests. */
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /** tinyproxy's own log. */
    public Path logFile() {
        return workDir.resolve("tinyproxy.log");
    }

    /**
     * Every request the proxy received, oldest first, as {@code "METHOD TARGET"}: e.g.
     * {@code "GET http://127.0.0.1:5000/v2/"} or {@code "CONNECT 127.0.0.1:5001"}.
     */
    public List<String> requests() throws IOException {
        return Files.readAllLines(logFile(), StandardCharsets.UTF_8).stream()
                .map(REQUEST::matcher).filter(Matcher::find)
                .map(m -> m.group(1) + " " + m.group(2))
                .toList();
    }

    /** SIGTERM, then SIGKILL after 5 s, by PID. Safe to call twice. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook runs anyway; the process is gone.
        }
        process = null;
    }

    /** Stops tinyproxy and deletes its folder (config and log). */
    @Override
    public void close() {
        stop();
        TempDirs.deleteRecursively(workDir);
    }

    @Override
    public String toString() {
        return "HttpProxyServer[" + uri() + "]";
    }

    private static Process launch(Path workDir, int port, String user, String password) throws IOException {
        Path log = workDir.resolve("tinyproxy.log");
        Files.deleteIfExists(log);
        Path config = Files.writeString(workDir.resolve("tinyproxy.conf"), String.join("\n",
                "Port " + port,
                "Listen 127.0.0.1",
                "Timeout 60",
                "LogFile \"" + log + "\"",
                "LogLevel Info", // Info includes the Connect level with the "Request" lines
                "MaxClients 50",
                "Allow 127.0.0.1",
                "DisableViaHeader Yes",
                user == null ? "" : "BasicAuth " + user + " " + password,
                ""));
        return new ProcessBuilder(Programs.require("tinyproxy"), "-d", "-c", config.toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("tinyproxy.out").toFile()))
                .start();
    }

    /** True once tinyproxy logs that it accepts connections; false if it exited (e.g. port taken). */
    private static boolean awaitReady(Process process, Path log) throws IOException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        try {
            while (System.currentTimeMillis() < deadline) {
                if (Files.exists(log) && Files.readString(log).contains("Accepting connections")) {
                    return true;
                }
                if (process.waitFor(50, TimeUnit.MILLISECONDS)) {
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        return false;
    }
}
