package dev.stevedore.image.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The secrets of a test and where they must not appear: each password as written, the Base64 of
 * {@code user:password} that Basic auth and Docker's config file carry, and bearer tokens.
 *
 * @param secrets what each secret is, for messages (never the secret itself), to its text
 */
record SecretScan(Map<String, String> secrets) {

    static SecretScan of(String user, String... passwords) {
        Map<String, String> secrets = new LinkedHashMap<>();
        for (int i = 0; i < passwords.length; i++) {
            secrets.put("password #" + i, passwords[i]);
            secrets.put("base64 of user:password #" + i,
                    Base64.getEncoder().encodeToString((user + ":" + passwords[i]).getBytes(StandardCharsets.UTF_8)));
        }
        return new SecretScan(Map.copyOf(secrets));
    }

    SecretScan withTokens(List<String> tokens) {
        Map<String, String> more = new LinkedHashMap<>(secrets);
        for (int i = 0; i < tokens.size(); i++) {
            more.put("bearer token #" + i, tokens.get(i));
            // A token cut short in a message is still a leak worth catching: look for its signature part.
            String signature = tokens.get(i).substring(tokens.get(i).lastIndexOf('.') + 1);
            more.put("signature of bearer token #" + i, signature);
        }
        return new SecretScan(Map.copyOf(more));
    }

    /** The names of the secrets found in {@code text}, described by {@code where}. */
    List<String> findIn(String where, String text) {
        List<String> found = new ArrayList<>();
        secrets.forEach((name, secret) -> {
            if (text.contains(secret)) {
                found.add(name + " in " + where);
            }
        });
        return found;
    }

    /** Secrets in any file under {@code root} (logs, results, images, anything a run wrote). */
    List<String> findInFiles(Path root) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                found.addAll(findIn(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)));
            }
        }
        return found;
    }
}
