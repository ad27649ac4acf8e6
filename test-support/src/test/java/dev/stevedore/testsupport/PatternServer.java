package dev.stevedore.testsupport;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;

/**
 * The far end of a link in tests: a TCP server that, per request, reads a header of two longs (the bytes the
 * client will send, the bytes it wants back), reads those bytes, then answers with the wanted bytes of
 * {@link #patternByte(long)}. Requests repeat on a connection until the client ends it; then it closes too.
 */
final class PatternServer implements AutoCloseable {
    private final ServerSocket socket;

    private PatternServer(ServerSocket socket) {
        this.socket = socket;
        Thread accept = new Thread(this::acceptLoop, "pattern-server");
        accept.setDaemon(true);
        accept.start();
    }

    static PatternServer start() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return new PatternServer(socket);
    }

    URI uri() {
        return URI.create("tcp://127.0.0.1:" + socket.getLocalPort());
    }

    /** The byte at {@code offset} of every answer: not constant, so a lost or reordered segment shows. */
    static byte patternByte(long offset) {
        return (byte) (offset * 31 + offset / 251);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread serve = new Thread(() -> serve(client), "pattern-server-connection");
                serve.setDaemon(true);
                serve.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void serve(Socket client) {
        try (client) {
            client.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            while (true) {
                long upload;
                try {
                    upload = in.readLong();
                } catch (EOFException end) {
                    return;
                }
                long download = in.readLong();
                skipFully(in, upload);
                byte[] buffer = new byte[64 * 1024];
                for (long sent = 0; sent < download; ) {
                    int n = (int) Math.min(buffer.length, download - sent);
                    for (int i = 0; i < n; i++) {
                        buffer[i] = patternByte(sent + i);
                    }
                    out.write(buffer, 0, n);
                    sent += n;
                }
            }
        } catch (IOException e) {
            // The client went away; that ends this connection only.
        }
    }

    private static void skipFully(InputStream in, long n) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        for (long left = n; left > 0; ) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                throw new EOFException("the client ended its upload " + left + " bytes early");
            }
            left -= read;
        }
    }
}
