package dev.stevedore.image.reliability;

import dev.stevedore.image.DefaultTargets;
import dev.stevedore.image.copy.Location;
import dev.stevedore.image.TargetProvider;
import dev.stevedore.image.registry.MachineConfig;
import dev.stevedore.image.registry.RegistrySettings;
import dev.stevedore.image.registry.RetryLimits;
import dev.stevedore.image.registry.RegistryTarget;
import dev.stevedore.image.store.StoreOptions;
import dev.stevedore.image.target.ImageTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The real targets with retry timing a test can afford: a short read timeout, and a sleeper that
 * records every wait the retry policy asks for but sleeps at most {@link Tuning#sleepCap()}, so a
 * {@code Retry-After: 1} or a backoff is proven without waiting it out. No proxy variables, no Docker
 * config from the machine: tests talk only to the servers they start.
 */
final class FastRetryTargets implements TargetProvider {

    /** Per-run timing; {@code sleepCap} long enough to outlast a registry restart where a case needs it. */
    record Tuning(Duration readTimeout, int maxAttempts, Duration sleepCap) {
        static Tuning fast() {
            return new Tuning(Duration.ofSeconds(1), 4, Duration.ofMillis(20));
        }

        /** Enough real waiting (about 3.5 s over 8 attempts) to ride out a registry restart. */
        static Tuning patient() {
            return new Tuning(Duration.ofSeconds(2), 8, Duration.ofMillis(500));
        }
    }

    private final DefaultTargets stores = new DefaultTargets();
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private volatile Tuning tuning = Tuning.fast();

    void use(Tuning newTuning) {
        tuning = newTuning;
        waits.clear();
    }

    /** Every wait the retry policy asked for since the last {@link #use}. */
    List<Duration> waits() {
        return List.copyOf(waits);
    }

    @Override
    public ImageTarget registries(RegistrySettings settings) {
        Tuning t = tuning;
        RegistrySettings fast = RegistrySettings.defaults(settings.auths()).withSkipTlsVerify(settings.skipTlsVerify())
                .withLimits(new RetryLimits(Duration.ofSeconds(2), t.readTimeout(), t.maxAttempts(), Duration.ofSeconds(30)))
                .withMachine(new MachineConfig(Map.of("HOME", "/nonexistent"), null)).keeping(settings);
        return new RegistryTarget(fast, RegistryTarget.Options.defaults().withSleeper(wait -> {
            waits.add(wait);
            Thread.sleep(Math.min(wait.toMillis(), t.sleepCap().toMillis()));
        }));
    }


    @Override
    public ImageTarget directory(Location.Kind kind, Path path, StoreOptions options) throws IOException {
        return stores.directory(kind, path, options);
    }
}
