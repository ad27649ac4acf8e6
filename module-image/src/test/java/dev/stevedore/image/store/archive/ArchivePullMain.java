package dev.stevedore.image.store.archive;

import dev.stevedore.engine.testkit.ModuleRun;
import dev.stevedore.engine.testkit.ModuleTestKit;
import dev.stevedore.image.ImageModule;

/**
 * Pulls one image into a bundle archive through the module, in a JVM of its own so that a test can kill it
 * with SIGKILL mid-write. Arguments: the registry's host:port, the image ({@code repository:tag}), the
 * archive. Exits 0 when the pull succeeded, 1 otherwise.
 */
public final class ArchivePullMain {

    private ArchivePullMain() {
    }

    public static void main(String[] args) {
        ModuleRun run = ModuleTestKit.of(new ImageModule(new ArchiveTargets())).withVariable("registry", args[0]).runYaml("""
                manifests: ["${registry}/%s"]
                dest: "archive://%s"
                concurrency: 4
                auths: [{registry: "${registry}", plain_http: true}]
                """.formatted(args[1], args[2]));
        System.out.println(run.result().stdout() + " " + run.result().error());
        System.exit(run.failed() ? 1 : 0);
    }
}
