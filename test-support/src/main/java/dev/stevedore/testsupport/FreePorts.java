package dev.stevedore.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds a port that is free on 127.0.0.1 right now (another process may still take it: callers retry). */
final class FreePorts {
    private FreePorts() {
    }

    static int find() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
