package dev.stevedore.testsupport;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts one of our small test servers: a thread per exchange (so a held answer does not hold up the
 * others), daemon threads named after the server, one handler for every path. Close it by stopping the
 * server and shutting the returned executor down.
 */
final class TestServerThreads {

    private TestServerThreads() {
    }

    static ExecutorService serve(HttpServer server, String name, HttpHandler handler) {
        ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
        return executor;
    }
}
