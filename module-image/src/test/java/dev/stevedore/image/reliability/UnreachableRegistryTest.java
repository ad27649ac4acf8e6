package dev.stevedore.image.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.ModuleRun;
import dev.stevedore.engine.testkit.ModuleTestKit;
import dev.stevedore.image.ImageModule;
import dev.stevedore.image.DefaultTargets;
import dev.stevedore.image.copy.Location;
import dev.stevedore.image.TargetProvider;
import dev.stevedore.image.registry.MachineConfig;
import dev.stevedore.image.registry.RegistrySettings;
import dev.stevedore.image.registry.RetryLimits;
import dev.stevedore.image.store.StoreOptions;
import dev.stevedore.image.target.ImageTarget;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Given a registry that cannot be reached, with the default retry settings (5 attempts, backoff from
 * 0.5 s), when a task pulls many images from it, then the connection is retried from one budget for the
 * registry, each wait is announced at the default level with its cause in words, and every image fails
 * with that cause in about the time of one image's retries (was: 100 images took 73 s, silently, and the
 * cause read "ConnectException"). A host name that does not resolve is not retried at all.
 */
class UnreachableRegistryTest {

    @TempDir
    Path work;

    /** The module's own settings (the defaults), with an environment that has no proxy. */
    record DefaultsWithoutProxy() implements TargetProvider {
        @Override
        public ImageTarget registries(RegistrySettings s) throws IOException {
            return new DefaultTargets().registries(RegistrySettings.defaults(s.auths()).withSkipTlsVerify(s.skipTlsVerify())
                .withLimits(new RetryLimits(s.limits().connectTimeout(), s.limits().readTimeout(), s.limits().maxAttempts(), s.limits().maxRetryTime()))
                .withMachine(new MachineConfig(Map.of("HOME", "/nonexistent", "PATH", "/usr/bin:/bin"), null)).keeping(s));
        }

        @Override
        public ImageTarget directory(Location.Kind kind, Path path, StoreOptions options) throws IOException {
            return new DefaultTargets().directory(kind, path, options);
        }
    }

    static ModuleRun pull(Path work, String registry, int images) {
        List<String> manifests = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            manifests.add("\"" + registry + "/dead/app" + i + ":1\"");
        }
        return ModuleTestKit.of(new ImageModule(new DefaultsWithoutProxy())).runYaml("""
                manifests: [%s]
                dest: "local://%s/pulled"
                auths: [{registry: "%s", plain_http: true}]
                """.formatted(String.join(", ", manifests), work, registry));
    }

    @Test
    void aHundredImagesFromARegistryThatIsDownFailTogetherAfterOneAnnouncedRoundOfRetries() throws IOException {
        String dead;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = "127.0.0.1:" + socket.getLocalPort(); // closed again: nothing listens there
        }
        long started = System.nanoTime();
        ModuleRun run = pull(work, dead, 100);
        double seconds = (System.nanoTime() - started) / 1e9;

        assertTrue(run.failed());
        List<String> waits = run.log().stream().filter(line -> line.contains("registry " + dead + ": connection refused, attempt ")).toList();
        assertEquals(4, waits.size(), "one announced wait per round, attempts 2 to 5: " + run.log());
        assertTrue(waits.get(0).contains("attempt 2 of 5 in "), waits.get(0));
        assertTrue(waits.get(3).contains("attempt 5 of 5 in "), waits.get(3));
        String error = run.result().error();
        assertEquals(100, error.split("cannot connect to registry " + dead, -1).length - 1, error);
        assertTrue(error.contains("connection refused"), error);
        assertFalse(error.contains("ConnectException"), error);
        assertFalse(error.contains("from registry " + dead), "the registry is named once, at the start: " + error);
        // Four backoff waits of at most 0.5, 1, 2 and 4 s: one image's budget, not a hundred's (was 73 s).
        assertTrue(seconds < 20, "took " + seconds + " s");
    }

    @Test
    void aHostThatDoesNotResolveIsNotRetried() {
        ModuleRun run = pull(work, "registry.invalid:5000", 3);
        assertTrue(run.failed());
        assertTrue(run.log().stream().noneMatch(line -> line.contains(", attempt ")), "no wait announced: " + run.log());
        String error = run.result().error();
        assertTrue(error.contains("cannot resolve host registry.invalid"), error);
        assertEquals(3, error.split("cannot resolve host", -1).length - 1, error);
    }
}
