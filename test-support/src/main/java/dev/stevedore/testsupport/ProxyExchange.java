package dev.stevedore.testsupport;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** Proxies one client connection: one request, one (possibly faulty) response, then close. */
final class ProxyExchange {
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final URI upstream;
    private final SSLContext upstreamTls;
    private final String proxyOrigin;
    private final FaultProxy proxy;
    private final Consumer<RecordedRequest> recorder;

    ProxyExchange(URI upstream, SSLContext upstreamTls, String proxyOrigin, FaultProxy proxy,
                  Consumer<RecordedRequest> recorder) {
        this.upstream = upstream;
        this.upstreamTls = upstreamTls;
        this.proxyOrigin = proxyOrigin;
        this.proxy = proxy;
        this.recorder = recorder;
    }

    private static long declaredBody(HttpHead request) {
        if (request.get("Transfer-Encoding").map(v -> v.toLowerCase(java.util.Locale.ROOT).contains("chunked")).orElse(false)) {
            return Long.MAX_VALUE;
        }
        try {
            return request.get("Content-Length").map(String::trim).map(Long::parseLong).orElse(0L);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    void handle(Socket client) throws IOException {
        InputStream clientIn = new BufferedInputStream(client.getInputStream());
        OutputStream clientOut = new BufferedOutputStream(client.getOutputStream());
        HttpHead request = HttpHead.read(clientIn);
        if (request == null) {
            return;
        }
        String method = request.firstToken();
        String target = request.secondToken();
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        String authorization = request.get("Authorization").orElse(null);
        if (request.get("Expect").map(v -> v.equalsIgnoreCase("100-continue")).orElse(false)) {
            // Answer the interim response ourselves; upstream then gets the body without waiting.
            clientOut.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            clientOut.flush();
            request.remove("Expect");
        }
        FaultRule fault = proxy.claimFault(method, path, declaredBody(request));
        FaultRule.Kind kind = fault == null ? null : fault.kind();
        if (kind == FaultRule.Kind.RESPOND || kind == FaultRule.Kind.REDIRECT) {
            HttpBodies.copyRequestBody(request, clientIn, OutputStream.nullOutputStream());
            int status = kind == FaultRule.Kind.RESPOND ? fault.status() : 307;
            Map<String, String> headers = kind == FaultRule.Kind.RESPOND ? fault.headers()
                    : Map.of("Location", stripSlash(fault.target().toString()) + target);
            recorder.accept(new RecordedRequest(method, path, authorization, status));
            writeSynthetic(clientOut, status, headers, kind == FaultRule.Kind.RESPOND ? fault.body() : "");
            return;
        }
        if (kind == FaultRule.Kind.DELAY) {
            sleep(fault.duration());
        }
        Socket connected;
        try {
            connected = connectUpstream();
        } catch (IOException unreachable) {
            // Like a real reverse proxy in front of a stopped registry.
            HttpBodies.copyRequestBody(request, clientIn, OutputStream.nullOutputStream());
            recorder.accept(new RecordedRequest(method, path, authorization, 502));
            writeSynthetic(clientOut, 502, Map.of("Content-Type", "text/plain"),
                    "upstream " + upstream + " unreachable: " + unreachable.getMessage());
            return;
        }
        try (Socket upstreamSocket = connected) {
            forward(request, method, path, authorization, fault, client, clientIn, clientOut, upstreamSocket);
        } catch (IOException e) {
            if (e instanceof FaultingOutputStream.ConnectionCut || client.isClosed()) {
                return;
            }
            throw e;
        }
    }

    private void forward(HttpHead request, String method, String path, String authorization, FaultRule fault,
                         Socket client, InputStream clientIn, OutputStream clientOut, Socket upstreamSocket)
            throws IOException {
        InputStream upstreamIn = new BufferedInputStream(upstreamSocket.getInputStream());
        OutputStream upstreamOut = new BufferedOutputStream(upstreamSocket.getOutputStream());
        request.set("Host", upstream.getRawAuthority());
        request.set("Connection", "close");
        request.remove("Keep-Alive");
        request.remove("Proxy-Connection");
        request.write(upstreamOut);
        FaultingOutputStream sent = new FaultingOutputStream(upstreamOut, client,
                isBodyFault(fault) && fault.inRequest() ? fault : null);
        try {
            HttpBodies.copyRequestBody(request, clientIn, sent);
            sent.finish();
        } catch (FaultingOutputStream.ConnectionCut cut) {
            recorder.accept(new RecordedRequest(method, path, authorization, 0));
            throw cut;
        }

        HttpHead response = readFinalResponse(upstreamIn);
        response.get("Location").ifPresent(location -> response.set("Location", rewriteLocation(location)));
        response.set("Connection", "close");
        response.remove("Keep-Alive");
        recorder.accept(new RecordedRequest(method, path, authorization, response.status()));
        response.write(clientOut);
        FaultingOutputStream body = new FaultingOutputStream(clientOut, client,
                isBodyFault(fault) && !fault.inRequest() ? fault : null);
        HttpBodies.copyResponseBody(method, response, upstreamIn, body);
        body.finish();
    }

    private static HttpHead readFinalResponse(InputStream upstreamIn) throws IOException {
        HttpHead response = HttpHead.read(upstreamIn);
        while (response != null && response.status() / 100 == 1 && response.status() != 101) {
            response = HttpHead.read(upstreamIn); // interim responses are not passed on
        }
        if (response == null) {
            throw new IOException("upstream closed the connection without a response");
        }
        return response;
    }

    private Socket connectUpstream() throws IOException {
        int port = upstream.getPort() > 0 ? upstream.getPort() : upstream.getScheme().equals("https") ? 443 : 80;
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(upstream.getHost(), port), CONNECT_TIMEOUT_MILLIS);
        if (!upstream.getScheme().equals("https")) {
            return socket;
        }
        SSLSocket tls = (SSLSocket) upstreamTls.getSocketFactory().createSocket(socket, upstream.getHost(), port, true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        return tls;
    }

    private String rewriteLocation(String location) {
        String origin = upstream.getScheme() + "://" + upstream.getRawAuthority();
        return location.startsWith(origin) ? proxyOrigin + location.substring(origin.length()) : location;
    }

    private static boolean isBodyFault(FaultRule fault) {
        return fault != null && switch (fault.kind()) {
            case RESET, TRUNCATE, STALL, FLIP -> true;
            default -> false;
        };
    }

    static void writeSynthetic(OutputStream out, int status, Map<String, String> headers, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpHead head = new HttpHead("HTTP/1.1 " + status + " " + reason(status));
        headers.forEach(head::set);
        head.set("Content-Length", Long.toString(bytes.length));
        head.set("Connection", "close");
        head.write(out);
        out.write(bytes);
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 307 -> "Temporary Redirect";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Scripted";
        };
    }

    private static String stripSlash(String origin) {
        return origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
    }

    private static void sleep(Duration duration) throws IOException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FaultingOutputStream.ConnectionCut();
        }
    }
}
