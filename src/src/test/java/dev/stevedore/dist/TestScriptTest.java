package dev.stevedore.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./test}, the README's test command, on a machine made up in a {@code PATH} of its own: the
 * programs present are real names that do nothing, {@code apt-get}, {@code sudo} and {@code mvn} record
 * how they were called. It installs exactly what is missing, as root or through sudo, and then runs
 * {@code mvn -B verify}; {@code .ci/run} runs the same script.
 */
class TestScriptTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> EVERY_PROGRAM = List.of("docker-registry", "skopeo", "openssl", "htpasswd",
            "tinyproxy", "tmux", "zstd", "mkfs.exfat", "mount.exfat-fuse", "losetup", "mvn", "javac");

    @TempDir
    Path dir;

    private Path bin;
    private Path calls;

    @BeforeEach
    void machine() throws IOException {
        bin = Files.createDirectories(dir.resolve("bin"));
        calls = dir.resolve("calls");
        for (String tool : List.of("bash", "env", "dirname")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of("/usr/bin", tool));
        }
        Files.copy(ROOT.resolve("test"), dir.resolve("test"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createDirectories(dir.resolve(".ci"));
        Files.copy(ROOT.resolve(".ci/run"), dir.resolve(".ci/run"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String recorder : List.of("apt-get", "sudo", "mvn")) {
            // sudo runs what it is given, as sudo does once the password is typed.
            script(recorder, "echo \"" + recorder + " $*\" >> " + calls + (recorder.equals("sudo") ? "\n\"$@\"" : ""));
        }
    }

    @Test
    void asRootItInstallsOnlyWhatIsMissingThenRunsMavenVerify() throws Exception {
        present("docker-registry", "openssl", "htpasswd", "tmux", "zstd", "mkfs.exfat", "mount.exfat-fuse", "losetup", "javac");
        uid(0);

        Run run = run("./test");

        assertEquals(0, run.exit(), run.output());
        assertEquals(List.of("apt-get update -qq",
                "apt-get install -y -qq --no-install-recommends skopeo tinyproxy",
                "mvn -B verify"), calls());
        assertTrue(run.output().contains("test: installing skopeo tinyproxy"), run.output());
    }

    @Test
    void onAMachineWithEverythingItInstallsNothing() throws Exception {
        present(EVERY_PROGRAM.toArray(String[]::new));
        uid(0);

        Run run = run(".ci/run");

        assertEquals(0, run.exit(), run.output());
        assertEquals(List.of("mvn -B verify"), calls(), ".ci/run runs ./test and nothing else");
    }

    @Test
    void asAnotherUserItInstallsThroughSudo() throws Exception {
        present("docker-registry", "skopeo", "openssl", "htpasswd", "tmux", "zstd", "mkfs.exfat", "mount.exfat-fuse", "losetup",
                "javac");
        uid(1000);

        Run run = run("./test");

        assertEquals(0, run.exit(), run.output());
        assertEquals(List.of("sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq", "apt-get update -qq",
                "sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends tinyproxy",
                "apt-get install -y -qq --no-install-recommends tinyproxy", "mvn -B verify"), calls());
    }

    private record Run(int exit, String output) { }

    private void present(String... programs) throws IOException {
        for (String program : programs) {
            if (!Files.exists(bin.resolve(program))) {
                script(program, "exit 0");
            }
        }
    }

    private void uid(int uid) throws IOException {
        script("id", "echo " + uid);
    }

    private void script(String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.deleteIfExists(file);
        Files.writeString(file, "#!/usr/bin/bash\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private List<String> calls() throws IOException {
        return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    }

    private Run run(String command) throws Exception {
        Path output = dir.resolve("output");
        ProcessBuilder builder = new ProcessBuilder(dir.resolve(command).toString()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", bin.toString());
        Process process = builder.start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish within 30 s");
        }
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}
