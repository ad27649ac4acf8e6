package dev.stevedore.image.reliability;

import static dev.stevedore.image.reliability.TaskArgs.ABSENT;
import static dev.stevedore.image.reliability.TaskArgs.BUNDLE;
import static dev.stevedore.image.reliability.TaskArgs.HOST;
import static dev.stevedore.image.reliability.TaskArgs.IMAGES;
import static dev.stevedore.image.reliability.TaskArgs.list;
import static dev.stevedore.image.reliability.TaskArgs.map;
import static dev.stevedore.image.reliability.TaskArgs.with;

import dev.stevedore.image.args.Arg;
import dev.stevedore.image.args.ArgSpec;
import dev.stevedore.image.args.ArgType;
import dev.stevedore.image.args.ImageArgSpecs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Generates malformed {@code image} tasks by combining valid tasks of every form ({@link TaskArgs}) with
 * bad components: references broken in their registry, repository, tag or digest; bad platforms;
 * invalid regular expressions; templates that do not parse or use undefined variables; and, from the
 * declared argument specs ({@link ImageArgSpecs}), a wrong value of every type for every key, every
 * required key missing and unknown keys at every level. New keys in the specs get cases for free.
 */
final class BadInputCases {

    private BadInputCases() {
    }

    static List<BadInput> all() {
        List<BadInput> cases = new ArrayList<>();
        cases.addAll(references());
        cases.addAll(platforms());
        cases.addAll(patterns());
        cases.addAll(templates());
        cases.addAll(shapesFromSpecs());
        cases.addAll(otherShapes());
        return cases;
    }

    /** Where a list of references goes: the manifests of each form that has them. */
    private record ManifestsKey(String key, String shownAs, Supplier<Map<String, Object>> task) {
    }

    private static final List<ManifestsKey> MANIFESTS = List.of(
            new ManifestsKey("pull.manifests", "pull.manifests[0]", TaskArgs::pull),
            new ManifestsKey("manifests", "image.manifests[0]", TaskArgs::newer),
            new ManifestsKey("copy.from.manifests", "copy.from.manifests[0]", TaskArgs::copy));

    /** A bad reference and the part of it the error must name. */
    private record BadReference(String family, String reference, String part) {
    }

    static List<BadReference> badReferences() {
        List<BadReference> bad = new ArrayList<>();
        for (String host : List.of("-lead.example.com", "under_score.example.com", "trail-.example.com",
                "example.com:123456", "host:", "[::1", "ex ample.com")) {
            bad.add(new BadReference("reference", host + "/library/app:1", host));
        }
        for (String component : List.of("Upper", "a..b", "-lead", "trail-", "_under", "a b", "..", "a%2fb", "caf\u00e9", "a___b")) {
            bad.add(new BadReference("reference", HOST + "/ns/" + component + "/app:1", component));
        }
        bad.add(new BadReference("reference", HOST + "//app:1", "empty path component"));
        bad.add(new BadReference("reference", HOST + "/app/:1", "empty path component"));
        bad.add(new BadReference("reference", HOST + "/" + "a".repeat(260) + ":1", "longer than 255"));
        bad.add(new BadReference("reference", "http://" + HOST + "/app:1", "http:"));
        for (String tag : List.of("-lead", ".lead", "t".repeat(129), "sp ace", "bang!", "t$x", "caf\u00e9")) {
            bad.add(new BadReference("tag", HOST + "/library/app:" + tag, tag));
        }
        bad.add(new BadReference("tag", HOST + "/library/app:", "empty tag"));
        String hex = "0123456789abcdef".repeat(4);
        for (String digest : List.of("sha256:abc", "sha256:" + hex.substring(1), "sha256:" + hex + "0",
                "sha256:" + hex.toUpperCase(), "sha256:" + "g".repeat(64), "md5:" + hex.substring(32),
                "sha512:" + hex + hex, "SHA256:" + hex, "sha256" + hex, ":" + hex, "")) {
            // The error quotes the whole reference, so it shows the digest as written.
            String part = digest.isEmpty() ? "empty digest" : digest;
            bad.add(new BadReference("digest", HOST + "/library/app@" + digest, part));
        }
        bad.add(new BadReference("digest", HOST + "/library/app:1@sha256:" + hex.substring(2), hex.substring(2)));
        return bad;
    }

    static List<BadInput> references() {
        List<BadInput> cases = new ArrayList<>();
        for (BadReference reference : badReferences()) {
            for (ManifestsKey key : MANIFESTS) {
                // The bad reference second: the error must name the element that is wrong, not the first.
                Map<String, Object> args = with(key.task().get(), key.key(), list(HOST + "/library/ok:1", reference.reference()));
                cases.add(BadInput.of(reference.family(), key.key() + " = " + reference.reference(), args,
                        key.shownAs().replace("[0]", "[1]"), reference.part()));
            }
        }
        return cases;
    }

    /** Every key holding a platform selection, in a valid task of its form. */
    private record Placement(String key, String shownAs, Supplier<Map<String, Object>> task) {
    }

    private static final List<Placement> PLATFORM_KEYS = List.of(
            new Placement("pull.platform", "pull.platform", TaskArgs::pull),
            new Placement("push.platform", "push.platform", TaskArgs::push),
            new Placement("platform", "image.platform", TaskArgs::newer),
            new Placement("copy.platform", "copy.platform", TaskArgs::copy));

    static List<BadInput> platforms() {
        List<BadInput> cases = new ArrayList<>();
        List<Object[]> bad = List.of(
                new Object[] {"linux", "linux"}, new Object[] {"linux/", "linux/"}, new Object[] {"/amd64", "/amd64"},
                new Object[] {"linux/amd64/v8/x", "linux/amd64/v8/x"}, new Object[] {"linux//amd64", "linux//amd64"},
                new Object[] {"lin ux/amd64", "lin ux"}, new Object[] {"linux/amd64/", "linux/amd64/"},
                new Object[] {"linux/amd$4", "amd$4"}, new Object[] {"all, linux/amd64", "'all' cannot be combined"},
                new Object[] {"", "no platform given"}, new Object[] {list(), "no platform given"},
                new Object[] {list("linux/arm64", "windows"), "windows"});
        for (Placement placement : PLATFORM_KEYS) {
            for (Object[] value : bad) {
                cases.add(BadInput.of("platform", placement.key() + " = " + value[0],
                        with(placement.task().get(), placement.key(), value[0]), placement.shownAs(), (String) value[1]));
            }
        }
        return cases;
    }

    private static final List<Placement> PATTERN_KEYS = List.of(
            new Placement("push.src_pattern", "push.src_pattern", TaskArgs::push),
            new Placement("pattern", "image.pattern", TaskArgs::newer),
            new Placement("copy.to.src_pattern", "copy.to.src_pattern", TaskArgs::copy));

    static List<BadInput> patterns() {
        List<BadInput> cases = new ArrayList<>();
        for (String pattern : List.of("[", "(", "*", "a{2,1}", "\\", "(?<n", "[z-a]", "+x", "x**+", "(?<1a>b)")) {
            for (Placement placement : PATTERN_KEYS) {
                cases.add(BadInput.of("pattern", placement.key() + " = " + pattern,
                        with(placement.task().get(), placement.key(), pattern), placement.shownAs(), pattern));
            }
        }
        return cases;
    }

    /** A broken template and what its error must name (the undefined variable, or the template). */
    private record BadTemplate(String text, String names) {
    }

    private static final List<BadTemplate> BAD_TEMPLATES = List.of(
            new BadTemplate("${", "${"), new BadTemplate("x${unclosed", "${unclosed"), new BadTemplate("${a b}", "a b"),
            new BadTemplate("<#if>", "<#if>"), new BadTemplate("${x?no_such_builtin}", "no_such_builtin"),
            new BadTemplate("${'s' + }", "'s' +"), new BadTemplate("${undefined_var}", "undefined_var"),
            new BadTemplate("a-${nested.missing.value}", "nested"));

    /** Templates that parse: that their variables are undefined shows only when the task runs. */
    private static final List<String> UNDEFINED = List.of("${undefined_var}", "a-${nested.missing.value}");

    /** Keys rendered once per task, and keys rendered per image (src, dest), each with a valid task. */
    private record TemplateKey(String key, String shownAs, Supplier<Map<String, Object>> task, String around) {
    }

    private static final List<TemplateKey> TEMPLATE_KEYS = List.of(
            new TemplateKey("pull.images_dir", "pull.images_dir", TaskArgs::pull, IMAGES + "/%s"),
            new TemplateKey("pull.manifests", "pull.manifests", TaskArgs::pull, HOST + "/library/app:%s"),
            new TemplateKey("pull.auths[0].password", "pull.auths[0].password", TaskArgs::pull, "%s"),
            new TemplateKey("push.images_dir", "push.images_dir", TaskArgs::push, "%s"),
            new TemplateKey("push.dest", "push.dest", TaskArgs::push, HOST + "/%s/app:1"),
            new TemplateKey("dest", "image.dest", TaskArgs::newer, "local://" + IMAGES + "/%s"),
            new TemplateKey("src", "image.src", TaskArgs::newer, "oci://" + HOST + "/%s:1"),
            new TemplateKey("auths[0].username", "image.auths[0].username", TaskArgs::newer, "%s"),
            new TemplateKey("copy.from.path", "copy.from.path", TaskArgs::copy, BUNDLE + "%s"));

    static List<BadInput> templates() {
        List<BadInput> cases = new ArrayList<>();
        for (TemplateKey key : TEMPLATE_KEYS) {
            for (BadTemplate template : BAD_TEMPLATES) {
                String value = key.around().replace("%s", template.text());
                Map<String, Object> args = key.key().equals("pull.manifests")
                        ? with(key.task().get(), key.key(), list(value))
                        : with(key.task().get(), key.key(), value);
                // A password's template is the password: its error names the key (and an undefined variable) only.
                boolean hidden = key.key().endsWith("password") && !template.text().matches(".*\\$\\{[a-z_.]+}.*");
                BadInput input = hidden ? BadInput.of("template", key.key() + " = " + value, args, key.shownAs())
                        : BadInput.of("template", key.key() + " = " + value, args, key.shownAs(), template.names());
                cases.add(UNDEFINED.contains(template.text()) ? input.foundWhenRun() : input);
            }
        }
        return cases;
    }

    /** One level of arguments: the spec that declares it, where it sits in which valid task. */
    private record Level(String form, ArgSpec spec, String path, String shownAs, Supplier<Map<String, Object>> task) {
        String key(Arg arg) {
            return path.isEmpty() ? arg.name() : path + "." + arg.name();
        }
    }

    private static List<Level> levels() {
        ArgSpec copy = ImageArgSpecs.COPY.args().get(0).nested();
        return List.of(
                new Level("classic", ImageArgSpecs.CLASSIC, "", "image", TaskArgs::pull),
                new Level("classic", ImageArgSpecs.PULL, "pull", "pull", TaskArgs::pull),
                new Level("classic", ImageArgSpecs.CLASSIC_AUTH, "pull.auths[0]", "pull.auths[0]", TaskArgs::pull),
                new Level("classic", ImageArgSpecs.PUSH, "push", "push", TaskArgs::push),
                new Level("classic", ImageArgSpecs.CLASSIC_AUTH, "push.auths[0]", "push.auths[0]", TaskArgs::push),
                new Level("newer", ImageArgSpecs.NEWER, "", "image", TaskArgs::newer),
                new Level("newer", ImageArgSpecs.AUTH, "auths[0]", "image.auths[0]", TaskArgs::newer),
                new Level("copy", ImageArgSpecs.COPY, "", "image", TaskArgs::copy),
                new Level("copy", copy, "copy", "copy", TaskArgs::copy),
                new Level("copy", ImageArgSpecs.COPY_FROM, "copy.from", "copy.from", TaskArgs::copy),
                new Level("copy", ImageArgSpecs.COPY_TO, "copy.to", "copy.to", TaskArgs::copy));
    }

    /** Values of the wrong type (or out of range) for each declared type. */
    static List<Object> wrongValues(ArgType type) {
        Map<String, Object> aMap = map("k", "v");
        return switch (type) {
            case STRING -> list(list("a"), aMap);
            case NON_EMPTY_STRING -> list("", "   ", list("a"), aMap);
            case BOOLEAN -> list("maybe", 2, list(true), aMap);
            case POSITIVE_INTEGER -> list(0, -3, 1025, "many", 1.5, list(4));
            case STRING_LIST -> list(aMap, list(aMap), list(list("a")), true);
            case SIZE -> list("lots", 0, -5, 1.5, 5, "5TB", list(1), aMap);
            case REGEX -> list(list("a"), aMap);
            case PLATFORMS -> list(42, aMap, list(list("linux/amd64")));
            case OBJECT_LIST -> list("text", aMap, list(5), list("text"));
            case OBJECT -> list("text", list("a"), 5);
        };
    }

    static List<BadInput> shapesFromSpecs() {
        List<BadInput> cases = new ArrayList<>();
        for (Level level : levels()) {
            for (Arg arg : level.spec().args()) {
                String shown = level.shownAs() + "." + arg.name();
                List<Object> values = new ArrayList<>(wrongValues(arg.type()));
                if (!arg.choices().isEmpty()) {
                    values.add("lenient");
                }
                for (Object value : values) {
                    cases.add(BadInput.of("shape", level.key(arg) + " = " + describe(value),
                            with(level.task().get(), level.key(arg), value), shown));
                }
                // A form's one top-level key missing leaves no form at all: that is the "no arguments" case.
                if (arg.required() && !level.path().isEmpty()) {
                    cases.add(BadInput.of("shape", level.key(arg) + " missing", with(level.task().get(), level.key(arg), ABSENT), shown));
                }
            }
            for (String unknown : List.of("autus", "skipTLSVerify", "bogus_key")) {
                String key = level.path().isEmpty() ? unknown : level.path() + "." + unknown;
                cases.add(BadInput.of("shape", "unknown key " + key + " (" + level.form() + " form)", with(level.task().get(), key, true), "'" + unknown + "'", "valid keys"));
            }
        }
        return cases;
    }

    static List<BadInput> otherShapes() {
        List<BadInput> cases = new ArrayList<>();
        // Two forms in one task.
        Map<String, Object> pullAndNewer = TaskArgs.pull();
        pullAndNewer.put("manifests", list(HOST + "/library/app:1"));
        cases.add(BadInput.of("shape", "pull with manifests", pullAndNewer, "mixes argument forms", "pull", "manifests"));
        Map<String, Object> pushAndDest = TaskArgs.push();
        pushAndDest.put("dest", "local://" + IMAGES);
        cases.add(BadInput.of("shape", "push with dest", pushAndDest, "mixes argument forms", "push", "dest"));
        Map<String, Object> copyAndPull = TaskArgs.copy();
        copyAndPull.putAll(TaskArgs.pull());
        cases.add(BadInput.of("shape", "copy with pull", copyAndPull, "mixes argument forms", "copy", "pull"));
        Map<String, Object> copyAndSrc = TaskArgs.copy();
        copyAndSrc.put("src", "local://" + BUNDLE);
        cases.add(BadInput.of("shape", "copy with src", copyAndSrc, "mixes argument forms", "copy", "src"));
        Map<String, Object> allThree = TaskArgs.newer();
        allThree.putAll(TaskArgs.push());
        allThree.putAll(TaskArgs.copy());
        cases.add(BadInput.of("shape", "all three forms", allThree, "mixes argument forms", "classic", "copy", "newer"));
        // Empty and missing.
        cases.add(BadInput.of("shape", "no arguments", map(), "image.dest", "required"));
        cases.add(BadInput.of("shape", "pull and push both null", map("pull", null, "push", null), "pull and push are both empty"));
        cases.add(BadInput.of("shape", "pull without images_dir or binary_dir",
                with(TaskArgs.pull(), "pull.images_dir", ABSENT), "pull.images_dir", "binary_dir").foundWhenRun());
        cases.add(BadInput.of("shape", "push without images_dir or binary_dir",
                with(TaskArgs.push(), "push.images_dir", ABSENT), "push.images_dir", "binary_dir").foundWhenRun());
        cases.add(new BadInput("shape", "pull without images_dir, blank binary_dir",
                with(TaskArgs.pull(), "pull.images_dir", ABSENT), Map.of("binary_dir", "  "), List.of("pull.images_dir", "binary_dir"), true));
        cases.add(BadInput.of("shape", "manifests empty with a registry src",
                with(TaskArgs.newer(), "manifests", list()), "image.manifests", "required"));
        cases.add(BadInput.of("shape", "pull.manifests empty", with(TaskArgs.pull(), "pull.manifests", list()), "pull.manifests"));
        cases.add(BadInput.of("shape", "manifests rendering to a broken list",
                with(TaskArgs.newer(), "manifests", "[" + HOST + "/a:1, " + HOST + "/b:2"), "image.manifests", "']'"));
        // Locations without a scheme or without a directory.
        cases.add(BadInput.of("shape", "dest without a scheme", with(TaskArgs.newer(), "dest", IMAGES), "image.dest", "oci://"));
        cases.add(BadInput.of("shape", "src without a scheme", with(TaskArgs.newer(), "src", HOST + "/x:1"), "image.src", "oci://"));
        cases.add(BadInput.of("shape", "dest local:// naming no directory", with(TaskArgs.newer(), "dest", "local://"), "image.dest", "no directory"));
        cases.add(BadInput.of("shape", "dest oci-layout:// naming no directory", with(TaskArgs.newer(), "dest", "oci-layout://  "), "image.dest", "no directory"));
        cases.add(BadInput.of("shape", "dest oci:// with no image", with(TaskArgs.newer(), "dest", "oci://"), "image.dest", "oci://"));
        cases.add(BadInput.of("shape", "dest rendering to an invalid reference",
                with(TaskArgs.newer(), "dest", "oci://" + HOST + "/${module.image.reference.repository}:bad tag!"), "image.dest", "bad tag!").foundWhenRun());
        cases.add(BadInput.of("shape", "push.dest rendering to an upper-case repository",
                with(TaskArgs.push(), "push.dest", HOST + "/MiXed/${module.image.src.reference.repository}:1"), "push.dest", "MiXed").foundWhenRun());
        cases.add(BadInput.of("shape", "copy.to.path oci:// with no image", with(TaskArgs.copy(), "copy.to.path", "oci://"), "copy.to.path", "oci://"));
        // auths entries written for the other form.
        cases.add(BadInput.of("shape", "classic auths entry with registry:",
                with(TaskArgs.pull(), "pull.auths[0]", map("registry", HOST)), "'registry'", "valid keys"));
        cases.add(BadInput.of("shape", "newer auths entry with repo:",
                with(TaskArgs.newer(), "auths[0]", map("repo", HOST)), "'repo'", "valid keys"));
        cases.add(BadInput.of("shape", "push from a directory that does not exist",
                with(TaskArgs.push(), "push.images_dir", IMAGES + "/absent"), "images_dir", IMAGES + "/absent").foundWhenRun());
        for (String namespace : List.of("UPPER", "a b", "ns/../x")) {
            cases.add(BadInput.of("shape", "push.namespace_override = " + namespace,
                    with(TaskArgs.push(), "push.namespace_override", namespace), "push.namespace_override", namespace));
            cases.add(BadInput.of("shape", "namespace_override = " + namespace,
                    with(TaskArgs.newer(), "namespace_override", namespace), "image.namespace_override", namespace));
        }
        return cases;
    }

    private static String describe(Object value) {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }
}
