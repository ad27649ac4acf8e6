package dev.stevedore.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A bare socket HTTP client for proxy tests: it reports exactly which bytes arrived and how the
 * connection ended, which a real HTTP client would hide behind an exception.
 */
final class RawHttp {
    /** What came back: the head, the body bytes received, and the error that ended reading (or null). */
    record Result(HttpHead head, byte[] body, IOException error, long millis) {
        int status() {
            return head.status();
        }
    }

    private RawHttp() {
    }

    static Result get(URI base, String target) throws IOException {
        return send(base, "GET", target, null);
    }

    static Result send(URI base, String method, String target, String authorization) throws IOException {
        long start = System.nanoTime();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            String request = method + " " + target + " HTTP/1.1\r\nHost: " + base.getRawAuthority() + "\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n";
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            HttpHead head = HttpHead.read(in);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            IOException error = null;
            try {
                long length = method.equals("HEAD") ? 0 : head.contentLength();
                byte[] buffer = new byte[8192];
                int read;
                while ((length < 0 || body.size() < length) && (read = in.read(buffer)) != -1) {
                    body.write(buffer, 0, read);
                }
            } catch (IOException e) {
                error = e;
            }
            return new Result(head, body.toByteArray(), error, (System.nanoTime() - start) / 1_000_000);
        }
    }
}
