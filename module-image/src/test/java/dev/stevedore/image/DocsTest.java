package dev.stevedore.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.CliRun;
import dev.stevedore.engine.testkit.PlaybookRunner;
import dev.stevedore.image.args.Arg;
import dev.stevedore.image.args.ArgSpec;
import dev.stevedore.image.args.ImageArgSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The repository's own documentation agrees with the code and stays inside the repository: the
 * operator's guide names every argument the image module accepts, {@code stevedore doc image} prints the
 * reference generated from the argument specs, and every relative link of the README, the guide and the
 * examples' README leads to a file of this repository.
 */
class DocsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> DOCUMENTS = List.of("README.md", "docs/image-module.md", "playbooks/README.md");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");

    @Test
    void theGuideNamesEveryArgumentOfEveryForm() throws IOException {
        String guide = Files.readString(ROOT.resolve("docs/image-module.md"));
        List<String> missing = new ArrayList<>();
        for (ArgSpec spec : List.of(ImageArgSpecs.CLASSIC, ImageArgSpecs.NEWER, ImageArgSpecs.COPY, ImageArgSpecs.VERIFY)) {
            collect(spec, guide, missing);
        }
        assertEquals(List.of(), missing, "arguments docs/image-module.md does not name (stevedore doc image shows them)");
    }

    @Test
    void docImageAndModulesPrintWhatTheModuleDeclares() {
        ImageModule module = new ImageModule();
        PlaybookRunner stevedore = PlaybookRunner.withModules(module);
        CliRun doc = stevedore.run("doc", "image");
        assertEquals(0, doc.exitCode(), doc.toString());
        assertEquals(module.documentation(), doc.stdout());
        assertTrue(doc.stdout().contains("  pull.manifests: required, a list of strings\n"), doc.stdout());
        CliRun modules = stevedore.run("modules");
        assertTrue(modules.stdoutLines().contains("image        pull, push and copy container images between registries,"
                + " KubeKey images directories and OCI image layouts"), modules.stdout());
    }

    @Test
    void everyRelativeLinkLeadsToAFileOfTheRepository() throws IOException {
        List<String> broken = new ArrayList<>();
        for (String document : DOCUMENTS) {
            Path file = ROOT.resolve(document);
            Matcher link = LINK.matcher(Files.readString(file));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue; // an absolute URL
                }
                Path resolved = file.getParent().resolve(target).normalize();
                if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
                    broken.add(document + ": " + target);
                }
            }
        }
        assertEquals(List.of(), broken, "links that leave the repository or lead nowhere");
    }

    private static void collect(ArgSpec spec, String guide, List<String> missing) {
        for (Arg arg : spec.args()) {
            String name = arg.name();
            // As a key (`name`, `name:`), or within a path (`pull.name`, `copy.name.path`).
            if (List.of("`" + name + "`", "`" + name + ":", "." + name + "`", "`" + name + ".", "." + name + ".").stream()
                    .noneMatch(guide::contains)) {
                missing.add(spec.path() + "." + arg.name());
            }
            if (arg.nested() != null) {
                collect(arg.nested(), guide, missing);
            }
        }
    }
}
