package dev.stevedore.image.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A blob's bytes that survive connection cuts: when a read fails, the blob is requested again from
 * the current position with {@code Range}; a 206 continues there, a 200 (range ignored) is skipped
 * forward to it. It verifies nothing: the reader hashes what it reads (stores do while writing).
 * It ends after exactly {@code size} bytes and fails if the registry sends fewer.
 */
final class ResumingBlobInputStream extends InputStream {

    /** Opens the blob from an offset; 0 means from the start, without Range. */
    @FunctionalInterface
    interface Opener {
        HttpResponse<InputStream> open(long offset) throws IOException;
    }

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-\\d+/(?:\\d+|\\*)");

    private final Opener opener;
    private final long size;
    private final int maxResumes;
    private final String action;
    private final String host;
    private InputStream current;
    private long position;
    private int resumes;
    private boolean closed;

    ResumingBlobInputStream(Opener opener, long size, int maxResumes, String action, String host) {
        this(opener, 0, size, maxResumes, action, host);
    }

    /** The blob from byte {@code start} on (a download an earlier process cut, continued); its first request asks for that Range. */
    ResumingBlobInputStream(Opener opener, long start, long size, int maxResumes, String action, String host) {
        if (start < 0 || start > size) {
            throw new IllegalArgumentException("start " + start + " outside a blob of " + size + " bytes");
        }
        this.position = start;
        this.opener = opener;
        this.size = size;
        this.maxResumes = maxResumes;
        this.action = action;
        this.host = host;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (length == 0) {
            return 0;
        }
        if (position >= size) {
            return -1;
        }
        int wanted = (int) Math.min(length, size - position);
        while (true) {
            try {
                if (current == null) {
                    current = open();
                }
                int n = current.read(buffer, offset, wanted);
                if (n < 0) {
                    throw new IOException("the registry ended the body after " + position + " of " + size + " bytes");
                }
                position += n;
                return n;
            } catch (RegistryException e) {
                throw e;
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                closeCurrent();
                if (++resumes > maxResumes) {
                    throw new RegistryException.ConnectionFailed(action + " (gave up after " + maxResumes + " resumed attempts)", host, e);
                }
            }
        }
    }

    private InputStream open() throws IOException {
        HttpResponse<InputStream> response = opener.open(position);
        InputStream body = response.body();
        if (response.statusCode() == 206) {
            Matcher range = CONTENT_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
            if (range.matches() && Long.parseLong(range.group(1)) == position) {
                return body;
            }
            body.close();
            throw new IOException("the registry answered a range request with an unexpected Content-Range");
        }
        // 200: the whole blob again; skip what the reader already has (nothing on a first request: no buffer then).
        long skipped = 0;
        byte[] scratch = position == 0 ? null : new byte[(int) Math.min(64 * 1024, position)];
        while (skipped < position) {
            int n = body.read(scratch, 0, (int) Math.min(scratch.length, position - skipped));
            if (n < 0) {
                body.close();
                throw new IOException("the registry ended the body while restarting at " + skipped + " of " + position + " bytes");
            }
            skipped += n;
        }
        return body;
    }

    private void closeCurrent() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // The connection is already broken; closing it is tidying only.
            }
            current = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        closeCurrent();
    }
}
