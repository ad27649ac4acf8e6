package dev.stevedore.image.reliability;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A socket on 127.0.0.1 that accepts, counts and drops every connection: the "registry" and the HTTP
 * proxy of tests that must prove no network I/O happens. A connection made by mistake is counted even
 * if the client gives up at once, because the kernel completes the handshake before {@code accept}.
 */
final class ConnectionCounter implements AutoCloseable {

    private final ServerSocket socket;
    private final AtomicInteger accepted = new AtomicInteger();

    private ConnectionCounter(ServerSocket socket) {
        this.socket = socket;
    }

    static ConnectionCounter start() throws IOException {
        ConnectionCounter counter = new ConnectionCounter(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        Thread thread = new Thread(counter::acceptLoop, "connection-counter");
        thread.setDaemon(true);
        thread.start();
        return counter;
    }

    String hostPort() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    int accepted() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try (Socket ignored = socket.accept()) {
                accepted.incrementAndGet();
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                // one failed accept says nothing about the next
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
