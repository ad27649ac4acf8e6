package dev.stevedore.testsupport;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One client connection through a {@link LinkSimulator} and its connection upstream: a pipe each way. It
 * closes when both directions have ended cleanly, and resets both sockets when either side fails.
 */
final class LinkConnection {
    private final Socket client;
    private final Socket upstream;
    private final Consumer<LinkConnection> onClose;
    private final AtomicInteger ended = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile List<Future<?>> threads = List.of();

    LinkConnection(Socket client, Socket upstream, Consumer<LinkConnection> onClose) {
        this.client = client;
        this.upstream = upstream;
        this.onClose = onClose;
    }

    /**
     * Starts both pipes. What the client sends first waits for {@code handshakeEnd}: it has connected to the
     * simulator at once, where over the link its SYN and the SYN-ACK would have taken a round trip.
     */
    void start(ExecutorService executor, LinkDirection up, LinkDirection down, long handshakeEnd) {
        LinkPipe toUpstream = new LinkPipe(client, upstream, up, handshakeEnd, this);
        LinkPipe toClient = new LinkPipe(upstream, client, down, System.nanoTime(), this);
        threads = List.of(executor.submit(toUpstream::read), executor.submit(toUpstream::write),
                executor.submit(toClient::read), executor.submit(toClient::write));
        if (closed.get()) {
            stopThreads();
        }
    }

    /** A clean end of one direction has arrived at {@code receiver}: its output is shut down, as a FIN does. */
    void endOfStream(Socket receiver) {
        try {
            receiver.shutdownOutput();
        } catch (IOException e) {
            abort();
            return;
        }
        if (ended.incrementAndGet() == 2) {
            close(false);
        }
    }

    /** Resets both sides (RST) and stops the pipes. */
    void abort() {
        close(true);
    }

    private void close(boolean reset) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Socket socket : List.of(client, upstream)) {
            try {
                if (reset) {
                    socket.setSoLinger(true, 0);
                }
                socket.close();
            } catch (IOException ignored) {
                // Closing is all that is left to do; a socket that fails even that is gone already.
            }
        }
        stopThreads();
        onClose.accept(this);
    }

    private void stopThreads() {
        for (Future<?> thread : threads) {
            thread.cancel(true);
        }
    }
}
