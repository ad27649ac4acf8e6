package dev.stevedore.image.args;

import dev.stevedore.image.copy.ForeignLayers;
import dev.stevedore.image.copy.Policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.receipt.ReceiptOptions;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.reference.Platform;
import dev.stevedore.image.registry.RegistryAuth;
import dev.stevedore.image.registry.TaskForm;
import dev.stevedore.image.store.StoreOptions.KubeKeyLayout;
import dev.stevedore.image.testing.FakeTemplates;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ImageTaskArgsTest {

    private static final Map<String, Object> VARS = Map.of("binary_dir", "/opt/kk", "docker_password", "s3cret",
            "images", "[\"nginx:1.27\", \"quay.io/prometheus/prometheus:v2.45.0\"]", "harbor", "harbor.example.com");

    private static List<CopyTask> parse(Map<String, Object> args) {
        return ImageTaskArgs.parse(args, new FakeTemplates(), VARS);
    }

    private static String error(Map<String, Object> args) {
        return assertThrows(ArgumentException.class, () -> parse(args)).getMessage();
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Nested
    class ClassicForm {

        @Test
        void pullBecomesARegistryToDirectoryCopyWithDefaults() {
            CopyTask pull = parse(map("pull", map("manifests", List.of("nginx:latest"), "images_dir", "/srv/images"))).get(0);
            assertEquals("pull", pull.request().label());
            assertEquals(List.of(ImageReference.parse("docker.io/library/nginx:latest")), pull.request().manifests());
            assertNull(pull.request().locations().src(), "each manifest is read from its own registry");
            assertEquals("local:///srv/images", pull.request().locations().dest());
            assertTrue(pull.request().platforms().all());
            assertEquals(Policy.STRICT, pull.request().policy());
            assertEquals(ForeignLayers.SKIP, pull.request().options().foreignLayers(), "as skopeo: layers the source lacks are not fetched from their URLs");
            assertFalse(pull.targets().skipTlsVerify());
            assertEquals(ImageArgSpecs.DEFAULT_CONCURRENCY, pull.request().options().concurrency());
        }

        @Test
        void imagesDirTakesAPathOrAStoresSchemeButNotARegistry() {
            assertEquals("archive:///srv/bundle.tar", dest(map("manifests", List.of("nginx"), "images_dir", "/srv/bundle.tar")));
            assertEquals("archive:///srv/bundle.tar", dest(map("manifests", List.of("nginx"), "images_dir", "archive:///srv/bundle.tar")),
                    "not a folder named archive: in the working directory");
            assertEquals("local:///srv/images", dest(map("manifests", List.of("nginx"), "images_dir", " local:///srv/images")));
            assertEquals("oci-layout:///srv/layout", dest(map("manifests", List.of("nginx"), "images_dir", "oci-layout:///srv/layout")));
            CopyTask push = parse(map("push", map("images_dir", "archive:///srv/bundle.tar", "dest", "r.io/site/app:1"))).get(0);
            assertEquals("archive:///srv/bundle.tar", push.request().locations().src());
            String refused = error(map("pull", map("manifests", List.of("nginx"), "images_dir", "oci://r.io/images")));
            assertTrue(refused.contains("pull.images_dir 'oci://r.io/images' names a registry"), refused);
        }

        private String dest(Map<String, Object> pull) {
            return parse(map("pull", pull)).get(0).request().locations().dest();
        }

        @Test
        void imagesDirDefaultsToTheBinaryDirVariable() {
            CopyTask pull = parse(map("pull", map("manifests", List.of("nginx")))).get(0);
            assertEquals("local://" + Path.of("/opt/kk", "images"), pull.request().locations().dest());
        }

        @Test
        void aMissingImagesDirWithoutBinaryDirIsAnErrorNamingTheKey() {
            String message = assertThrows(ArgumentException.class, () -> ImageTaskArgs.parse(
                    map("pull", map("manifests", List.of("nginx"))), new FakeTemplates(), Map.of())).getMessage();
            assertTrue(message.contains("pull.images_dir is required") && message.contains("binary_dir"), message);
        }

        @Test
        void referrersIsOffUnlessTheTaskAsksForItInPullPushOrTheNewerForm() {
            List<CopyTask> classic = parse(map(
                    "push", map("images_dir", "/srv/images", "dest", "reg.example.com/x:y", "referrers", true),
                    "pull", map("manifests", List.of("nginx"), "images_dir", "/srv/images")));
            assertEquals(List.of(false, true), classic.stream().map(t -> t.request().options().referrers()).toList());
            assertTrue(parse(map("manifests", List.of("nginx"), "dest", "local:///srv/images", "referrers", true)).get(0).request().options().referrers());
            assertFalse(parse(map("manifests", List.of("nginx"), "dest", "local:///srv/images")).get(0).request().options().referrers());
        }

        @Test
        void pullAndPushInOneTaskRunPullFirst() {
            List<CopyTask> requests = parse(map(
                    "push", map("images_dir", "/srv/images", "dest", "reg.example.com/${module.image.src.reference.repository}:${module.image.src.reference.reference}"),
                    "pull", map("manifests", List.of("nginx"), "images_dir", "/srv/images")));
            assertEquals(List.of("pull", "push"), requests.stream().map(t -> t.request().label()).toList());
            CopyTask push = requests.get(1);
            assertEquals("local:///srv/images", push.request().locations().src());
            assertEquals("oci://reg.example.com/${module.image.src.reference.repository}:${module.image.src.reference.reference}",
                    push.request().locations().dest(), "dest stays a template, rendered per image");
            assertTrue(push.request().manifests().isEmpty(), "push takes every image of the directory");
        }

        @Test
        void pushReadsPatternNamespaceOverrideAndAuths() {
            CopyTask push = parse(map("push", map("images_dir", "/i", "dest", "r.example.com/x:y",
                    "src_pattern", "^docker.io/library/.*", "namespace_override", "custom-ns", "skip_tls_verify", true,
                    "auths", List.of(map("repo", "https://r.example.com/v2/", "username", "admin",
                            "password", "${docker_password}", "insecure", "yes"))))).get(0);
            assertEquals("^docker.io/library/.*", push.request().pattern().pattern());
            assertEquals("custom-ns", push.request().locations().namespaceOverride());
            assertTrue(push.targets().skipTlsVerify());
            assertEquals(List.of(RegistryAuth.of("r.example.com").withLogin("admin", "s3cret").withSkipTlsVerify(true)), push.targets().auths(),
                    "auths are rendered once per task and the host is taken from a pasted URL");
        }

        @Test
        void theDocumentedMisspellingsAreRejectedListingTheValidKeys() {
            String message = error(map("pull", map("manifests", List.of("nginx"), "images_dir", "/i", "autus", List.of())));
            assertTrue(message.contains("unknown key 'autus' in pull"), message);
            assertTrue(message.contains("auths, concurrency, exclude, foreign_layers, images_dir, layout, manifests, max_part_size, platform, policy, referrers, skip_tls_verify"), message);
            assertTrue(error(map("pull", map("manifests", List.of("nginx"), "images_dir", "/i", "skipTLSVerify", true)))
                    .contains("unknown key 'skipTLSVerify'"));
        }

        @Test
        void authEntriesTakeTheNewerFormsTransportKeysWithTheKeyPasswordRenderedAsASecret() {
            CopyTask pull = parse(map("pull", map("manifests", List.of("nginx"), "images_dir", "/i",
                    "auths", List.of(map("repo", "${harbor}", "plain_http", false, "ca_file", "/etc/ca.pem",
                            "cert_file", "/etc/c.pem", "key_file", "/etc/c.key", "key_password", "${docker_password}"))))).get(0);
            assertEquals(List.of(RegistryAuth.of("harbor.example.com")
                    .withTransport(RegistryAuth.Transport.DEFAULT.withCaFile(Path.of("/etc/ca.pem"))
                    .withClientCertificate(Path.of("/etc/c.pem"), Path.of("/etc/c.key"), "s3cret"))), pull.targets().auths());
            assertFalse(pull.targets().auths().toString().contains("s3cret"), "the key password is redacted: " + pull.targets().auths());
        }

        @Test
        void theTaskIsRecognisedAsClassic() {
            assertEquals(TaskForm.CLASSIC, ImageTaskArgs.form(map("pull", map("manifests", List.of("nginx")))));
        }

        @Test
        void unknownKeysInsideAuthEntriesAreRejected() {
            String message = error(map("pull", map("manifests", List.of("nginx"), "images_dir", "/i",
                    "auths", List.of(map("repo", "docker.io", "user", "me")))));
            assertTrue(message.contains("unknown key 'user' in pull.auths[0]") && message.contains("ca_file, cert_file, insecure, key_file, key_password, password, plain_http, repo, username"), message);
        }

        @Test
        void pushWithoutDestIsAnError() {
            assertEquals("push.dest is required (a non-empty string)", error(map("push", map("images_dir", "/i"))));
        }

        @Test
        void anEmptyDestIsAnError() {
            assertEquals("push.dest must not be empty", error(map("push", map("images_dir", "/i", "dest", "  "))));
        }

        @Test
        void pullNeedsManifests() {
            assertTrue(error(map("pull", map("images_dir", "/i"))).startsWith("pull.manifests is required"));
        }

        @Test
        void aPullThatIsNotAMapIsAnError() {
            assertEquals("image.pull must be a map of arguments, got the string 'nginx'", error(map("pull", "nginx")));
        }
    }

    @Nested
    class NewerForm {

        @Test
        void everyKeyIsRead() {
            CopyTask copy = parse(map("manifests", List.of("nginx:latest", "prometheus:v2.45.0"),
                    "src", "oci://${module.image.reference.registry}/${module.image.reference.repository}:${module.image.reference.reference}",
                    "dest", "local:///srv/bundle/images", "platform", List.of("linux/amd64", "linux/arm64"),
                    "policy", "warn", "foreign_layers", "include", "pattern", ".*nginx.*", "concurrency", "4",
                    "auths", List.of(map("registry", "${harbor}", "username", "admin", "password", "secret",
                            "skip_tls_verify", false, "plain_http", true, "ca_file", "/etc/ca.pem",
                            "cert_file", "/etc/c.pem", "key_file", "/etc/c.key")))).get(0);
            assertEquals(2, copy.request().manifests().size());
            assertEquals(List.of(Platform.parse("linux/amd64"), Platform.parse("linux/arm64")), copy.request().platforms().platforms());
            assertEquals(Policy.WARN, copy.request().policy());
            assertEquals(ForeignLayers.INCLUDE, copy.request().options().foreignLayers());
            assertEquals(".*nginx.*", copy.request().pattern().pattern());
            assertEquals(4, copy.request().options().concurrency());
            assertEquals(RegistryAuth.of("harbor.example.com").withLogin("admin", "secret")
                    .withTransport(RegistryAuth.Transport.DEFAULT.withCaFile(Path.of("/etc/ca.pem"))
                    .withClientCertificate(Path.of("/etc/c.pem"), Path.of("/etc/c.key"), null).withSkipTlsVerify(false).withPlainHttp(true)), copy.targets().auths().get(0));
            assertEquals(TaskForm.NEWER, ImageTaskArgs.form(map("manifests", List.of("nginx"), "dest", "local:///i")));
            assertEquals(TaskForm.COPY, ImageTaskArgs.form(map("copy", map())));
        }

        @Test
        void theKeyPasswordIsRead() {
            CopyTask copy = parse(map("manifests", List.of("nginx"), "dest", "local:///i",
                    "auths", List.of(map("registry", "${harbor}", "key_file", "/etc/c.key", "key_password", "${docker_password}")))).get(0);
            assertEquals("s3cret", copy.targets().auths().get(0).transport().keyPassword());
        }

        @Test
        void manifestsMayBeATemplateRenderingToAJsonList() {
            CopyTask copy = parse(map("manifests", "${images}", "dest", "local:///i")).get(0);
            assertEquals(List.of(ImageReference.parse("nginx:1.27"), ImageReference.parse("quay.io/prometheus/prometheus:v2.45.0")),
                    copy.request().manifests());
        }

        @Test
        void aDirectorySourceWithoutManifestsTakesEveryImage() {
            CopyTask copy = parse(map("src", "local:///srv/images", "dest", "oci://reg.example.com/${module.image.reference.repository}")).get(0);
            assertTrue(copy.request().manifests().isEmpty());
        }

        @Test
        void aRegistrySourceNeedsManifests() {
            assertTrue(error(map("src", "oci://a.example.com/x", "dest", "local:///i")).startsWith("image.manifests is required unless image.src is a directory"));
        }

        @Test
        void destWithoutASchemeIsAnError() {
            String message = error(map("manifests", List.of("nginx"), "dest", "/srv/images"));
            assertTrue(message.startsWith("image.dest '/srv/images' must start with oci://"), message);
        }

        @Test
        void anInvalidRegexIsAnErrorNamingTheKey() {
            String message = error(map("manifests", List.of("nginx"), "dest", "local:///i", "pattern", "nginx[("));
            assertTrue(message.startsWith("image.pattern is not a valid regular expression"), message);
        }

        @Test
        void anInvalidPlatformIsAnErrorNotCopyEverything() {
            String message = error(map("manifests", List.of("nginx"), "dest", "local:///i", "platform", "linux"));
            assertTrue(message.startsWith("image.platform: invalid platform 'linux'"), message);
            assertTrue(error(map("manifests", List.of("nginx"), "dest", "local:///i", "platform", List.of("all", "linux/amd64")))
                    .contains("'all' cannot be combined"));
        }

        @Test
        void platformAllAndACommaSeparatedStringAreAccepted() {
            assertTrue(parse(map("manifests", List.of("nginx"), "dest", "local:///i", "platform", "all")).get(0).request().platforms().all());
            assertEquals(2, parse(map("manifests", List.of("nginx"), "dest", "local:///i", "platform", "linux/amd64, linux/arm64/v8"))
                    .get(0).request().platforms().platforms().size());
        }

        @Test
        void wrongTypesAreErrorsNamingTheKey() {
            assertEquals("image.skip_tls_verify must be a boolean (true or false), got the string 'maybe'",
                    error(map("manifests", List.of("nginx"), "dest", "local:///i", "skip_tls_verify", "maybe")));
            assertEquals("image.concurrency must be an integer from 1 to 1024, got integer 0",
                    error(map("manifests", List.of("nginx"), "dest", "local:///i", "concurrency", 0)));
            assertEquals("image.manifests must be a list of strings, got an element a map",
                    error(map("manifests", List.of(map("a", "b")), "dest", "local:///i")));
            assertEquals("image.auths must be a list of maps, got the string 'x'",
                    error(map("manifests", List.of("nginx"), "dest", "local:///i", "auths", "x")));
            assertEquals("image.policy must be one of strict, warn, got 'lenient'",
                    error(map("manifests", List.of("nginx"), "dest", "local:///i", "policy", "lenient")));
            assertEquals("image.foreign_layers must be one of skip, include, got 'all'",
                    error(map("manifests", List.of("nginx"), "dest", "local:///i", "foreign_layers", "all")));
        }

        @Test
        void anInvalidManifestIsRejectedBeforeAnyIo() {
            String message = error(map("manifests", List.of("nginx", "../../etc/passwd"), "dest", "local:///i"));
            assertTrue(message.startsWith("image.manifests[1]: invalid image reference '../../etc/passwd'"), message);
        }

        @Test
        void unknownKeysListTheValidOnes() {
            String message = error(map("manifests", List.of("nginx"), "dest", "local:///i", "platforms", "all"));
            assertTrue(message.startsWith("unknown key 'platforms' in image; valid keys are: auths, chunk_size, concurrency, create_project, dest, exclude, foreign_layers, layout, manifests,"), message);
        }

        @Test
        void anUndefinedVariableInATaskWideArgumentIsNamed() {
            String message = error(map("manifests", "${nope}", "dest", "local:///i"));
            assertTrue(message.startsWith("cannot render image.manifests (undefined variable 'nope')"), message);
        }

        @Test
        void mixingFormsIsAnError() {
            String message = error(map("pull", map("manifests", List.of("nginx")), "dest", "local:///i"));
            assertTrue(message.startsWith("the task mixes argument forms: [pull] (classic form) with [dest] (newer form)"), message);
            assertTrue(error(map("copy", map(), "manifests", List.of("x"))).contains("mixes argument forms"));
        }

        @Test
        void noArgumentsAtAllAskForDest() {
            assertEquals("image.dest is required (a non-empty string)", error(map()));
        }
    }

    @Nested
    class DeprecatedCopyForm {

        @Test
        void copyMapsOntoTheNewerForm() {
            CopyTask copy = parse(map("copy", map("platform", "linux/amd64",
                    "from", map("path", "/srv/a", "manifests", List.of("nginx")),
                    "to", map("path", "/srv/b", "src_pattern", "nginx")))).get(0);
            assertEquals("local:///srv/a", copy.request().locations().src());
            assertEquals("local:///srv/b", copy.request().locations().dest());
            assertEquals("nginx", copy.request().pattern().pattern());
            assertEquals(List.of(Platform.parse("linux/amd64")), copy.request().platforms().platforms());
            assertEquals(1, copy.request().manifests().size());
        }

        @Test
        void copyNeedsFromAndTo() {
            assertEquals("copy.from is required (a map)", error(map("copy", map("to", map("path", "/b")))));
            assertEquals("copy.to.path is required (a non-empty string)",
                    error(map("copy", map("from", map("path", "/a"), "to", map()))));
        }

        @Test
        void unknownKeysInCopyAreRejected() {
            assertTrue(error(map("copy", map("from", map("path", "/a", "images", List.of()), "to", map("path", "/b"))))
                    .startsWith("unknown key 'images' in copy.from; valid keys are: manifests, path"));
        }
    }

    @Nested
    class KubeKeyLayoutArgument {

        @Test
        void bothFormsTakeTheGenerationForNewRepositories() {
            CopyTask pull = parse(map("pull", map("manifests", List.of("nginx"), "images_dir", "/i", "layout", "kubekey-v2"))).get(0);
            assertEquals(KubeKeyLayout.KUBEKEY_V2, pull.targets().layout());
            CopyTask newer = parse(map("manifests", List.of("nginx"), "dest", "local:///i", "layout", "kubekey-v1")).get(0);
            assertEquals(KubeKeyLayout.KUBEKEY_V1, newer.targets().layout());
        }

        @Test
        void withoutItNewRepositoriesFollowTheDirectory() {
            assertEquals(KubeKeyLayout.AS_DIRECTORY, parse(map("pull", map("manifests", List.of("nginx"), "images_dir", "/i"))).get(0).targets().layout());
            assertEquals(KubeKeyLayout.AS_DIRECTORY, parse(map("manifests", List.of("nginx"), "dest", "local:///i")).get(0).targets().layout());
        }

        @Test
        void anUnknownGenerationIsRejectedNamingTheValidOnes() {
            String message = error(map("pull", map("manifests", List.of("nginx"), "images_dir", "/i", "layout", "v2")));
            assertTrue(message.contains("pull.layout") && message.contains("kubekey-v1") && message.contains("kubekey-v2"), message);
        }

        @Test
        void itAppliesOnlyToAKubeKeyDirectoryDestination() {
            String message = error(map("manifests", List.of("nginx"), "dest", "oci://harbor.example.com/x/nginx:1", "layout", "kubekey-v2"));
            assertTrue(message.startsWith("image.layout 'kubekey-v2' applies to a KubeKey images directory"), message);
            assertTrue(error(map("push", map("dest", "r.io/x:1", "images_dir", "/i", "layout", "kubekey-v2")))
                    .contains("unknown key 'layout' in push"));
        }
    }

    @Nested
    class Receipts {

        @Test
        void aPullsExcludeAndAPushsReceiptBecomeTheRequestsReceiptOptions() {
            List<CopyTask> requests = parse(map(
                    "pull", map("manifests", List.of("nginx"), "images_dir", "/srv/delta", "exclude", "/srv/receipt.json"),
                    "push", map("images_dir", "/srv/full", "dest", "r.example.com/x:y", "receipt", "/srv/after.json")));
            assertEquals(new ReceiptOptions(Path.of("/srv/receipt.json"), null), requests.get(0).request().options().receipts());
            assertEquals(new ReceiptOptions(null, Path.of("/srv/after.json")), requests.get(1).request().options().receipts());
        }

        @Test
        void theNewerFormTakesBothAndWithoutThemACopyHasNone() {
            CopyTask copy = parse(map("manifests", List.of("nginx"), "dest", "local:///d", "exclude", "/r.json",
                    "receipt", "/w.json")).get(0);
            assertEquals(new ReceiptOptions(Path.of("/r.json"), Path.of("/w.json")), copy.request().options().receipts());
            assertEquals(ReceiptOptions.NONE, parse(map("manifests", List.of("nginx"), "dest", "local:///d")).get(0).request().options().receipts());
        }

        @Test
        void excludeIsNotAPushArgumentAndReceiptNotAPullArgument() {
            assertTrue(error(map("push", map("images_dir", "/i", "dest", "r.io/x:1", "exclude", "/r.json")))
                    .startsWith("unknown key 'exclude' in push"));
            assertTrue(error(map("pull", map("manifests", List.of("nginx"), "images_dir", "/i", "receipt", "/r.json")))
                    .startsWith("unknown key 'receipt' in pull"));
        }
    }
}
