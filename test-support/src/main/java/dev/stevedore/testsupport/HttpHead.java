package dev.stevedore.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The start line and headers of an HTTP/1.1 message, as read from and written to a raw socket. */
final class HttpHead {
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    private String startLine;
    private final List<String[]> headers = new ArrayList<>();

    HttpHead(String startLine) {
        this.startLine = startLine;
    }

    /** Reads a head, or returns null when the peer closed the connection before sending anything. */
    static HttpHead read(InputStream in) throws IOException {
        String start = readLine(in);
        if (start == null) {
            return null;
        }
        HttpHead head = new HttpHead(start);
        int total = start.length();
        for (String line = readLine(in); ; line = readLine(in)) {
            if (line == null) {
                throw new EOFException("connection closed inside an HTTP head");
            }
            if (line.isEmpty()) {
                return head;
            }
            total += line.length();
            if (total > MAX_HEAD_BYTES) {
                throw new IOException("HTTP head larger than " + MAX_HEAD_BYTES + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                head.headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
            }
        }
    }

    /** One CRLF- (or LF-) terminated line without its terminator; null at end of stream before any byte. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            if (line.size() > MAX_HEAD_BYTES) {
                throw new IOException("HTTP line longer than " + MAX_HEAD_BYTES + " bytes");
            }
        }
        if (line.size() == 0) {
            return null;
        }
        throw new EOFException("connection closed inside an HTTP line");
    }

    void write(OutputStream out) throws IOException {
        StringBuilder text = new StringBuilder(startLine).append("\r\n");
        for (String[] header : headers) {
            text.append(header[0]).append(": ").append(header[1]).append("\r\n");
        }
        out.write(text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    String startLine() {
        return startLine;
    }

    void startLine(String line) {
        this.startLine = line;
    }

    /** For a request: the method; for a response: "HTTP/1.1". */
    String firstToken() {
        return startLine.split(" ", 3)[0];
    }

    /** For a request: the target; for a response: the status code. */
    String secondToken() {
        String[] parts = startLine.split(" ", 3);
        return parts.length > 1 ? parts[1] : "";
    }

    int status() {
        try {
            return Integer.parseInt(secondToken());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    Optional<String> get(String name) {
        return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst();
    }

    void set(String name, String value) {
        remove(name);
        headers.add(new String[] {name, value});
    }

    void remove(String name) {
        headers.removeIf(h -> h[0].equalsIgnoreCase(name));
    }

    boolean isChunked() {
        return get("Transfer-Encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked")).orElse(false);
    }

    /** Content-Length, or -1 when absent. */
    long contentLength() {
        return get("Content-Length").map(String::trim).map(Long::parseLong).orElse(-1L);
    }
}
