package dev.stevedore.testsupport;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Streams an HTTP/1.1 body from one socket to another exactly as framed, never holding it in memory. */
final class HttpBodies {
    private HttpBodies() {
    }

    /** A request body: chunked, Content-Length, or none. */
    static void copyRequestBody(HttpHead request, InputStream in, OutputStream out) throws IOException {
        if (request.isChunked()) {
            copyChunked(in, out);
        } else if (request.contentLength() > 0) {
            copyExactly(in, out, request.contentLength());
        }
        out.flush();
    }

    /** A response body: none (HEAD, 1xx, 204, 304), chunked (raw, framing included), Content-Length, or until close. */
    static void copyResponseBody(String requestMethod, HttpHead response, InputStream in, OutputStream out)
            throws IOException {
        int status = response.status();
        if (requestMethod.equals("HEAD") || status / 100 == 1 || status == 204 || status == 304) {
            return;
        }
        if (response.isChunked()) {
            copyChunked(in, out);
        } else if (response.contentLength() >= 0) {
            copyExactly(in, out, response.contentLength());
        } else {
            in.transferTo(out);
        }
        out.flush();
    }

    static void copyExactly(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long remaining = length;
        while (remaining > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (read < 0) {
                throw new EOFException("body ended " + remaining + " bytes early");
            }
            out.write(buffer, 0, read);
            remaining -= read;
        }
    }

    private static void copyChunked(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String sizeLine = HttpHead.readLine(in);
            if (sizeLine == null) {
                throw new EOFException("chunked body ended without its last chunk");
            }
            writeLine(out, sizeLine);
            int semicolon = sizeLine.indexOf(';');
            long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                for (String trailer = HttpHead.readLine(in); ; trailer = HttpHead.readLine(in)) {
                    if (trailer == null) {
                        throw new EOFException("chunked body ended inside its trailers");
                    }
                    writeLine(out, trailer);
                    if (trailer.isEmpty()) {
                        return;
                    }
                }
            }
            copyExactly(in, out, size);
            String end = HttpHead.readLine(in);
            if (end == null || !end.isEmpty()) {
                throw new IOException("malformed chunk terminator");
            }
            writeLine(out, "");
        }
    }

    private static void writeLine(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }
}
