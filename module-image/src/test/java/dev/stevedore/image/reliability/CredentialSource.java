package dev.stevedore.image.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a run gets its registry credentials: the task's {@code auths}, a Docker config file's
 * {@code auths} ({@code DOCKER_CONFIG}), or a credential helper on the {@code PATH}. Each can hand
 * out a right password for one registry name and a wrong one for another name of the same registry.
 */
enum CredentialSource {
    TASK_AUTHS, DOCKER_CONFIG, CREDENTIAL_HELPER;

    private static final String HELPER = "stevedore-test";

    /** One registry name and the password this source gives for it. */
    record Grant(String host, String password) {
    }

    /**
     * The task's {@code auths} list for {@code host} ({@code repo:} in the classic form,
     * {@code registry:} in the newer): credentials only when they come from the task itself.
     */
    String auths(String key, String hostVariable, String passwordVariable) {
        String credentials = this == TASK_AUTHS ? ", username: \"${user}\", password: \"${" + passwordVariable + "}\"" : "";
        return "[{" + key + ": \"${" + hostVariable + "}\"" + credentials + ", plain_http: true}]";
    }

    /**
     * Writes what this source needs outside the scanned folders (a config file, a helper script)
     * and returns the child's environment.
     */
    Map<String, String> prepare(Path inputs, String user, List<Grant> grants) throws IOException {
        Path home = Files.createDirectories(inputs.resolve("home"));
        Path bin = Files.createDirectories(inputs.resolve("bin"));
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("HOME", home.toString());
        environment.put("PATH", bin + ":/usr/bin:/bin");
        if (this == TASK_AUTHS) {
            return environment;
        }
        Path config = Files.createDirectories(inputs.resolve("docker-config"));
        environment.put("DOCKER_CONFIG", config.toString());
        StringBuilder json = new StringBuilder(this == DOCKER_CONFIG ? "{\"auths\":{" : "{\"credHelpers\":{");
        StringBuilder script = new StringBuilder("#!/bin/sh\nread server\ncase \"$server\" in\n");
        for (int i = 0; i < grants.size(); i++) {
            Grant grant = grants.get(i);
            String auth = Base64.getEncoder().encodeToString((user + ":" + grant.password()).getBytes(StandardCharsets.UTF_8));
            json.append(i == 0 ? "" : ",").append('"').append(grant.host()).append("\":")
                    .append(this == DOCKER_CONFIG ? "{\"auth\":\"" + auth + "\"}" : "\"" + HELPER + "\"");
            script.append("  '").append(grant.host()).append("') echo '{\"Username\":\"").append(user)
                    .append("\",\"Secret\":\"").append(grant.password()).append("\"}' ;;\n");
        }
        Files.writeString(config.resolve("config.json"), json.append("}}").toString());
        if (this == CREDENTIAL_HELPER) {
            Path helper = bin.resolve("docker-credential-" + HELPER);
            Files.writeString(helper, script.append("  *) exit 1 ;;\nesac\n").toString());
            Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return environment;
    }
}
