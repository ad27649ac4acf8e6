package dev.stevedore.testsupport;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/**
 * The client side of a proxied response body, applying one body fault at a byte position: reset the
 * TCP connection, close it early, stall, or flip a byte. Without a body fault it only passes bytes on.
 */
final class FaultingOutputStream extends FilterOutputStream {
    /** Thrown after the connection was deliberately cut, to stop copying the rest of the body. */
    static final class ConnectionCut extends IOException {
        ConnectionCut() {
            super("connection cut by a scripted fault");
        }
    }

    private final Socket client;
    private final FaultRule fault;
    private long position;
    private boolean fired;

    FaultingOutputStream(OutputStream out, Socket client, FaultRule fault) {
        super(out);
        this.client = client;
        this.fault = fault;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (fault == null || fired) {
            out.write(bytes, offset, length);
            position += length;
            return;
        }
        long at = fault.bytes();
        if (fault.kind() == FaultRule.Kind.FLIP) {
            if (at >= position && at < position + length) {
                byte[] copy = java.util.Arrays.copyOfRange(bytes, offset, offset + length);
                copy[(int) (at - position)] ^= (byte) 0xFF;
                fired = true;
                out.write(copy);
            } else {
                out.write(bytes, offset, length);
            }
            position += length;
            return;
        }
        int before = (int) Math.max(0, Math.min(length, at - position));
        out.write(bytes, offset, before);
        position += before;
        if (position == at) {
            fire();
        }
        if (before < length) {
            out.write(bytes, offset + before, length - before);
            position += length - before;
        }
    }

    /** Called when the body is complete: a fault at exactly its length still fires. */
    void finish() throws IOException {
        if (fault != null && !fired && position == fault.bytes() && fault.kind() != FaultRule.Kind.FLIP) {
            fire();
        }
        flush();
    }

    private void fire() throws IOException {
        fired = true;
        out.flush();
        switch (fault.kind()) {
            case RESET -> {
                client.setSoLinger(true, 0); // close() now sends RST instead of FIN
                client.close();
                throw new ConnectionCut();
            }
            case TRUNCATE -> {
                client.shutdownOutput(); // a clean FIN, short of the promised Content-Length
                throw new ConnectionCut();
            }
            case STALL -> sleep();
            default -> {
                // RESPOND, DELAY and REDIRECT never reach the body.
            }
        }
    }

    private void sleep() throws IOException {
        try {
            Thread.sleep(fault.duration().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionCut();
        }
    }
}
