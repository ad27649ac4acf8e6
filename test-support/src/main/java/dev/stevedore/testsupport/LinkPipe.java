package dev.stevedore.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One direction of one connection through a {@link LinkSimulator}: reads what one side sends, queues it on
 * that direction's {@link LinkDirection}, and writes it to the other side when it arrives there. A reader
 * and a writer thread, so the bytes on the wire are in flight while more are read.
 */
final class LinkPipe {
    /**
     * Bytes read from one side but not yet written to the other, at most: the receiver's window. It is above
     * the bandwidth-delay product of the links simulated (200 Mbit/s x 50 ms is 1.25 MB), so one connection can
     * fill the link, as Linux's TCP does once its buffers have grown (tcp_rmem's maximum is 6 MB); and it keeps
     * a receiver that stops reading from making the simulator hold more.
     */
    static final int WINDOW_BYTES = 4 * 1024 * 1024;
    /** A clean end of stream (FIN): the other side's output is shut down after everything before it. */
    private static final byte[] END = new byte[0];
    /** The sending side failed or was reset: the connection is reset (RST) when this arrives. */
    private static final byte[] RESET = new byte[0];

    private record Segment(byte[] data, long arrivesAt) {
    }

    private final Socket from;
    private final Socket to;
    private final LinkDirection direction;
    private final long notBefore;
    private final LinkConnection connection;
    private final BlockingQueue<Segment> onTheWire = new LinkedBlockingQueue<>();
    private int unwritten; // guarded by this

    /** {@code notBefore}: the {@link System#nanoTime()} before which nothing is read (a handshake in progress). */
    LinkPipe(Socket from, Socket to, LinkDirection direction, long notBefore, LinkConnection connection) {
        this.from = from;
        this.to = to;
        this.direction = direction;
        this.notBefore = notBefore;
        this.connection = connection;
    }

    /** The reader thread's work: until the sending side ends or fails. */
    void read() {
        try {
            LinkDirection.awaitNanoTime(notBefore);
            InputStream in = from.getInputStream();
            byte[] buffer = new byte[LinkDirection.SEGMENT_BYTES];
            while (true) {
                int n = in.read(buffer, 0, Math.min(buffer.length, awaitWindow()));
                if (n < 0) {
                    onTheWire.put(new Segment(END, direction.send(0)));
                    return;
                }
                synchronized (this) {
                    unwritten += n;
                }
                onTheWire.put(new Segment(Arrays.copyOf(buffer, n), direction.send(n)));
            }
        } catch (IOException e) {
            try {
                onTheWire.put(new Segment(RESET, direction.send(0)));
            } catch (InterruptedException closing) {
                Thread.currentThread().interrupt();
            }
        } catch (InterruptedException closing) {
            Thread.currentThread().interrupt();
        }
    }

    /** The writer thread's work: delivers each segment when it arrives, until the end of stream or a reset. */
    void write() {
        try {
            OutputStream out = to.getOutputStream();
            while (true) {
                Segment segment = onTheWire.take();
                LinkDirection.awaitNanoTime(segment.arrivesAt());
                if (segment.data() == END) {
                    connection.endOfStream(to);
                    return;
                }
                if (segment.data() == RESET) {
                    connection.abort();
                    return;
                }
                out.write(segment.data());
                synchronized (this) {
                    unwritten -= segment.data().length;
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // The receiving side is gone: as TCP does, the sender learns it from a reset.
            connection.abort();
        } catch (InterruptedException closing) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the window has room and returns how much. */
    private synchronized int awaitWindow() throws InterruptedException {
        while (unwritten >= WINDOW_BYTES) {
            wait();
        }
        return WINDOW_BYTES - unwritten;
    }
}
