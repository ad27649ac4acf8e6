package dev.stevedore.image.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The Stevedore version this module was built as, which Maven writes into {@code version.properties}: the
 * same reactor version the engine's {@code --version} prints, read from this module's own copy so that the
 * module needs nothing of the engine.
 */
public final class ToolVersion {

    private ToolVersion() {
    }

    public static String current() {
        Properties properties = new Properties();
        try (InputStream in = ToolVersion.class.getResourceAsStream("/dev/stevedore/image/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        String version = properties.getProperty("version", "unknown");
        return version.startsWith("${") ? "unknown" : version;
    }
}
