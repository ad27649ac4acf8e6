package dev.stevedore.image.args;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.playbook.PlaybookException;
import dev.stevedore.engine.playbook.YamlDocuments;
import dev.stevedore.engine.template.FreeMarkerTemplates;
import dev.stevedore.image.ImageModule;
import dev.stevedore.spi.CheckOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The check of an {@code image} task before the playbook runs, with the engine's real templates: what is
 * not a template is judged as the run would judge it, what is a template only has its syntax checked.
 */
class ImageTaskArgsCheckTest {

    private final ImageModule module = new ImageModule();

    private List<String> check(String yaml) throws PlaybookException {
        @SuppressWarnings("unchecked")
        Map<String, Object> args = (Map<String, Object>) YamlDocuments.load("args", yaml);
        return module.check(new CheckOptions(args, new FreeMarkerTemplates()));
    }

    @Test
    void templatesOfEveryKindPassBecauseTheirValuesAreKnownOnlyWhenTheTaskRuns() throws Exception {
        assertEquals(List.of(), check("""
                pull:
                  manifests: "${images}"
                  images_dir: "${bundle}/images"
                  platform: "${platforms?join(',')}"
                  policy: "${policy}"
                  concurrency: "${n}"
                  auths: "${auths}"
                """));
        assertEquals(List.of(), check("""
                manifests: ["${registry}/library/hello:1.0", nginx:1.27]
                dest: "oci://${registry}/mirror/${module.image.reference.repository}:${module.image.reference.reference}"
                platform: [linux/amd64, "${extra_platform}"]
                pattern: "${pattern}"
                auths: [{registry: "${registry}", plain_http: "${plain}"}, "${more_auths}"]
                """));
    }

    @Test
    void whatIsNotATemplateIsJudgedAsTheRunWould() throws Exception {
        assertEquals(List.of("image: image.platform: invalid platform 'linux/': invalid platform architecture ''"),
                check("{manifests: [nginx], dest: 'local:///x', platform: [linux/amd64, '${p}', 'linux/']}"));
        assertTrue(only(check("{manifests: [nginx, 'Not A Ref', '${img}'], dest: 'local:///x'}"))
                .startsWith("image: image.manifests[1]: "));
        assertTrue(only(check("{manifests: 'nginx, Bad:Ref!', dest: 'local:///x'}")).startsWith("image: image.manifests[1]: "));
        assertTrue(only(check("{push: {dest: 'reg.example.com/x:1', src_pattern: '(', images_dir: /x}}"))
                .startsWith("image: push.src_pattern is not a valid regular expression"));
        assertEquals(List.of("image: push.dest rendered to 'oci://Reg.Example.com/UPPER:1', which is not a valid image reference: "
                        + "invalid image reference 'Reg.Example.com/UPPER:1': invalid repository path component 'UPPER': repository names must be lowercase"),
                check("{push: {dest: 'Reg.Example.com/UPPER:1', images_dir: /x}}"));
        assertEquals(List.of("image: pull.manifests is empty: list at least one image to pull"), check("{pull: {manifests: []}}"));
        assertEquals(List.of("image: image.concurrency must be an integer from 1 to 1024, got integer 0"),
                check("{manifests: [nginx], dest: 'local:///x', concurrency: 0}"));
    }

    @Test
    void aMapArgumentCannotBeATemplateBecauseItIsNeverRenderedWhole() throws Exception {
        assertEquals(List.of("image: image.pull must be a map of arguments, got the string '${pull_args}'"),
                check("{pull: '${pull_args}'}"));
    }

    @Test
    void aTemplateThatDoesNotParseIsFoundAndAPasswordsTextIsNotQuoted() throws Exception {
        assertTrue(only(check("{manifests: ['${registry/x:1'], dest: 'local:///x'}"))
                .startsWith("image: cannot render image.manifests[0]: template syntax error in '${registry/x:1'"));
        String secret = "Secret-4b1d${";
        String problem = only(check("{manifests: [nginx], dest: 'local:///x', auths: [{registry: r.io, password: '" + secret + "'}]}"));
        assertTrue(problem.startsWith("image: cannot render image.auths[0].password: it does not parse as a template"), problem);
        assertFalse(problem.contains("Secret-4b1d"), problem);
    }

    @Test
    void requiredKeysAndTheFormAreCheckedToo() throws Exception {
        assertEquals(List.of("image: image.dest is required (a non-empty string)"), check("{manifests: [nginx]}"));
        assertEquals(List.of("image: image.manifests is required unless image.src is a directory or an archive (local://..., "
                + "oci-layout://... or archive://...), whose images are then all copied"), check("{src: 'oci://r.io/x:1', dest: 'local:///x'}"));
        assertTrue(only(check("{pull: {manifests: [nginx]}, dest: 'local:///x'}")).startsWith("image: the task mixes argument forms"));
        assertEquals(List.of(), check("{src: 'local://${bundle}', dest: 'oci-layout:///x'}"), "a directory source lists its images");
    }

    @Test
    void theReferenceNamesEveryArgumentOfEveryFormWithItsTypeAndMeaning() {
        String reference = module.documentation();
        List<String> missing = new ArrayList<>();
        collect(ImageArgSpecs.CLASSIC, "", reference, missing);
        collect(ImageArgSpecs.NEWER, "", reference, missing);
        collect(ImageArgSpecs.COPY, "", reference, missing);
        assertEquals(List.of(), missing, "arguments without a description, or missing from the reference");
        assertTrue(reference.contains("  pull.policy: one of strict, warn; default strict\n"), reference);
        assertTrue(reference.contains("  auths[].password: a string, secret\n"), reference);
        assertTrue(reference.lines().allMatch(line -> line.length() <= 100), "lines fit a terminal");
    }

    /** Every argument under {@code spec} must have a description and a line of its own in the reference. */
    private static void collect(ArgSpec spec, String prefix, String reference, List<String> missing) {
        for (Arg arg : spec.args()) {
            String key = prefix + arg.name();
            if (arg.description().isBlank() || !reference.contains("  " + key + ": " + ArgReference.summary(arg) + "\n")) {
                missing.add(key);
            }
            if (arg.nested() != null) {
                collect(arg.nested(), key + (arg.type() == ArgType.OBJECT_LIST ? "[]." : "."), reference, missing);
            }
        }
    }

    private static String only(List<String> problems) {
        assertEquals(1, problems.size(), problems.toString());
        return problems.get(0);
    }

    @Test
    void excludeIntoARegistryIsRefusedBeforeTheRunBecauseTheRegistryWouldRefuseTheManifests() throws Exception {
        List<String> problems = check("""
                manifests: [nginx]
                dest: oci://registry.site/library/nginx:1
                exclude: /srv/receipt.json
                """);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("image.exclude leaves blobs out of a bundle") && problems.get(0).contains("local://"),
                problems.get(0));
        assertEquals(List.of(), check("""
                manifests: [nginx]
                dest: local:///srv/delta
                exclude: /srv/receipt.json
                """));
    }
}
