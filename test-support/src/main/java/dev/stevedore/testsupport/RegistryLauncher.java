package dev.stevedore.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/** Writes {@code config.yml}, starts {@code docker-registry serve} and waits until {@code /v2/} answers. */
final class RegistryLauncher {
    static final String BINARY = "docker-registry";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    /** The registry exited because another process holds the port: the caller picks another one. */
    static final class PortTakenException extends IOException {
        PortTakenException(int port) {
            super("port " + port + " is already in use");
        }
    }

    private final Path workDir;
    private final Path logFile;
    private final Map<String, String> env;
    private final SSLContext probeTls;

    /** {@code probeTls} is null for plain HTTP, else a context the registry accepts for the /v2/ probe. */
    RegistryLauncher(Path workDir, Path logFile, Map<String, String> env, SSLContext probeTls) {
        this.workDir = workDir;
        this.logFile = logFile;
        this.env = env;
        this.probeTls = probeTls;
    }

    Process launch(RegistryConfig config) throws IOException {
        Path configFile = Files.writeString(workDir.resolve("config.yml"), config.toYaml());
        long logOffset = Files.exists(logFile) ? Files.size(logFile) : 0;
        ProcessBuilder builder = new ProcessBuilder(Programs.require(BINARY), "serve", configFile.toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // Inherited REGISTRY_* variables would silently override the generated file.
        builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            awaitReady(process, config.port(), logOffset);
            return process;
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private void awaitReady(Process process, int port, long logOffset) throws IOException {
        String scheme = probeTls != null ? "https" : "http";
        HttpClient.Builder clientBuilder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1));
        if (probeTls != null) {
            clientBuilder.sslContext(probeTls);
        }
        HttpClient client = clientBuilder.build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + port + "/v2/"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String log = newLogText(logOffset);
                if (log.contains("address already in use")) {
                    throw new PortTakenException(port);
                }
                throw new IOException("docker-registry exited with code " + process.exitValue()
                        + " while starting; see " + logFile + ":\n" + log.strip());
            }
            if (!newLogText(logOffset).contains("listening on")) {
                // Not bound yet; probing now could reach whatever else holds the port.
                sleep(process);
                continue;
            }
            try {
                client.send(probe, HttpResponse.BodyHandlers.discarding());
                return; // any status: 200, or 401 with auth configured
            } catch (IOException notYet) {
                sleep(process);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for docker-registry", e);
            }
        }
        throw new IOException("docker-registry did not answer on port " + port + " within "
                + START_TIMEOUT.toSeconds() + " s; see " + logFile);
    }

    private static void sleep(Process process) throws IOException {
        try {
            process.waitFor(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for docker-registry", e);
        }
    }

    private String newLogText(long offset) throws IOException {
        byte[] all = Files.readAllBytes(logFile);
        return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                java.nio.charset.StandardCharsets.UTF_8);
    }
}
