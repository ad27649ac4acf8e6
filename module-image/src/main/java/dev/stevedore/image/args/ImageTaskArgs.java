package dev.stevedore.image.args;

import dev.stevedore.image.copy.CopyOptions;
import dev.stevedore.image.copy.CopyRequest;
import dev.stevedore.image.copy.CopyStep;
import dev.stevedore.image.copy.ForeignLayers;
import dev.stevedore.image.copy.InvalidLocationException;
import dev.stevedore.image.copy.Location;
import dev.stevedore.image.copy.LocationTemplates;
import dev.stevedore.image.copy.Policy;
import dev.stevedore.image.receipt.ReceiptOptions;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.reference.InvalidReferenceException;
import dev.stevedore.image.registry.PushOptions;
import dev.stevedore.image.registry.RegistryAuth;
import dev.stevedore.image.registry.TaskForm;
import dev.stevedore.image.store.StoreOptions.KubeKeyLayout;
import dev.stevedore.image.target.LocationSchemes;
import dev.stevedore.spi.Templates;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns an {@code image} task's raw arguments, in any of its forms, into the {@link CopyTask}s to run
 * (pull before push). Everything is checked here, before any I/O; what depends on the image (the
 * rendered {@code src} and {@code dest}) is checked per image by the planner.
 */
public final class ImageTaskArgs {

    private static final Set<String> CLASSIC_KEYS = Set.of("pull", "push");
    private static final Set<String> COPY_KEYS = Set.of("copy");

    private ImageTaskArgs() {
    }

    /**
     * @param args      the task's arguments as parsed from YAML
     * @param templates renders every argument that is not rendered per image
     * @param variables the host's variables, read only
     * @throws ArgumentException naming the offending key
     */
    public static List<CopyTask> parse(Map<String, Object> args, Templates templates, Map<String, Object> variables) {
        try {
            return parseChecked(args, templates, variables);
        } catch (InvalidLocationException e) {
            throw new ArgumentException(e.getMessage()); // the copier's error, here about an argument
        }
    }

    private static List<CopyTask> parseChecked(Map<String, Object> args, Templates templates, Map<String, Object> variables) {
        TaskForm form = form(args);
        if (form == TaskForm.CLASSIC) {
            List<CopyTask> tasks = classic(ImageArgSpecs.CLASSIC.validate(args, templates, variables), variables);
            for (CopyTask task : tasks) {
                // A pull's destination is its images_dir; a push's source is.
                String label = task.request().label();
                String dest = task.request().step() == CopyStep.PULL ? label + ".images_dir" : label + ".dest";
                new LocationCheck(label + ".images_dir", dest, label + ".namespace_override", label + ".layout",
                        label + ".max_part_size").check(task, templates, variables);
            }
            return tasks;
        }
        if (form == TaskForm.COPY) {
            CopyTask task = copy(ImageArgSpecs.COPY.validate(args, templates, variables).object("copy"));
            new LocationCheck("copy.from.path", "copy.to.path", "copy.namespace_override", "copy.layout",
                    "copy.max_part_size").check(task, templates, variables);
            return List.of(task);
        }
        CopyTask task = newer(ImageArgSpecs.NEWER.validate(args, templates, variables));
        new LocationCheck("image.src", "image.dest", "image.namespace_override", "image.layout", "image.max_part_size").check(task, templates, variables);
        return List.of(task);
    }

    /**
     * Checks what can be known before the playbook runs, without variables: the form, unknown keys,
     * required keys, types, and the references, regular expressions, platforms and locations that are not
     * templates. What depends on variables is checked by {@link #parse} when the task runs.
     *
     * @throws ArgumentException naming the offending key
     */
    public static void check(Map<String, Object> args, Templates templates) {
        try {
            checkStatic(args, templates);
        } catch (InvalidLocationException e) {
            throw new ArgumentException(e.getMessage());
        }
    }

    private static void checkStatic(Map<String, Object> args, Templates templates) {
        StaticArgs known = new StaticArgs(templates);
        switch (form(args)) {
            case CLASSIC -> {
                ImageArgSpecs.CLASSIC.checkStatic(args, templates);
                Map<?, ?> pull = (Map<?, ?>) args.get("pull");
                Map<?, ?> push = (Map<?, ?>) args.get("push");
                if (pull == null && push == null) {
                    throw new ArgumentException("pull and push are both empty; give at least one of them");
                }
                if (pull != null) {
                    if (known.isEmptyList(pull.get("manifests"), "pull.manifests")) {
                        throw new ArgumentException("pull.manifests is empty: list at least one image to pull");
                    }
                    known.references(pull.get("manifests"), "pull.manifests");
                }
                if (push != null) {
                    known.namespaceOverride(push.get("namespace_override"), "push.namespace_override");
                    known.text(push.get("dest")).map(String::strip)
                            .ifPresent(dest -> Location.parse(dest.startsWith(LocationSchemes.OCI) ? dest : LocationSchemes.OCI + dest, "push.dest"));
                }
            }
            case COPY -> {
                ImageArgSpecs.COPY.checkStatic(args, templates);
                Map<?, ?> copy = (Map<?, ?>) args.get("copy");
                Map<?, ?> from = (Map<?, ?>) copy.get("from");
                Map<?, ?> to = (Map<?, ?>) copy.get("to");
                known.references(from.get("manifests"), "copy.from.manifests");
                known.text(from.get("path")).ifPresent(path -> Location.parse(withDefaultScheme(path), "copy.from.path"));
                known.text(to.get("path")).ifPresent(path -> Location.parse(withDefaultScheme(path), "copy.to.path"));
                if (from.get("manifests") == null || known.isEmptyList(from.get("manifests"), "copy.from.manifests")) {
                    requireDirectory(withDefaultScheme(String.valueOf(from.get("path")).strip()), "copy.from.manifests", "copy.from.path");
                }
            }
            case NEWER -> {
                ImageArgSpecs.NEWER.checkStatic(args, templates);
                String dest = args.get("dest").toString();
                Object src = args.get("src");
                checkScheme("image.dest", dest);
                if (src != null) {
                    checkScheme("image.src", src.toString());
                }
                known.references(args.get("manifests"), "image.manifests");
                known.namespaceOverride(args.get("namespace_override"), "image.namespace_override");
                known.text(src).ifPresent(text -> Location.parse(text, "image.src"));
                known.text(dest).ifPresent(text -> Location.parse(text, "image.dest"));
                if (args.get("exclude") != null && dest.strip().startsWith(LocationSchemes.OCI)) {
                    throw new ArgumentException("image.exclude leaves blobs out of a bundle, but image.dest '" + dest
                            + "' is a registry, which refuses manifests whose blobs it lacks; pull into local:// or oci-layout://");
                }
                if (args.get("manifests") == null || known.isEmptyList(args.get("manifests"), "image.manifests")) {
                    requireDirectory(src == null ? null : src.toString(), "image.manifests", "image.src");
                }
            }
        }
    }

    /** The task's argument form (one of three; mixing them is an error). */
    public static TaskForm form(Map<String, Object> args) {
        Set<String> classic = intersect(args.keySet(), CLASSIC_KEYS);
        Set<String> copy = intersect(args.keySet(), COPY_KEYS);
        Set<String> newer = intersect(args.keySet(), Set.copyOf(ImageArgSpecs.NEWER.keys()));
        int forms = (classic.isEmpty() ? 0 : 1) + (copy.isEmpty() ? 0 : 1) + (newer.isEmpty() ? 0 : 1);
        if (forms > 1) {
            List<String> parts = new ArrayList<>();
            if (!classic.isEmpty()) {
                parts.add(classic + " (classic form)");
            }
            if (!copy.isEmpty()) {
                parts.add("[copy] (deprecated copy form)");
            }
            if (!newer.isEmpty()) {
                parts.add(newer + " (newer form)");
            }
            throw new ArgumentException("the task mixes argument forms: " + String.join(" with ", parts)
                    + "; write pull:/push:, copy:, or manifests/src/dest, one form per task");
        }
        return !classic.isEmpty() ? TaskForm.CLASSIC : !copy.isEmpty() ? TaskForm.COPY : TaskForm.NEWER;
    }


    private static List<CopyTask> classic(ArgValues image, Map<String, Object> variables) {
        List<CopyTask> requests = new ArrayList<>();
        if (image.has("pull")) {
            ArgValues pull = image.object("pull");
            if (pull.strings("manifests").isEmpty()) {
                // A pull names what to pull; an empty list is a mistake (often a variable that rendered empty).
                throw new ArgumentException(pull.key("manifests") + " is empty: list at least one image to pull");
            }
            requests.add(new CopyTask(new CopyRequest(CopyStep.PULL, references(pull, "manifests"), null,
                    new LocationTemplates(null, imagesDirLocation(pull, variables), null), pull.platforms("platform"),
                    Policy.of(pull.string("policy")), options(pull, new ReceiptOptions(path(pull.string("exclude")), null))),
                    new TargetSettings(classicAuths(pull), pull.bool("skip_tls_verify"), PushOptions.defaults(),
                            KubeKeyLayout.ofArgument(pull.string("layout")), partSize(pull))));
        }
        if (image.has("push")) {
            ArgValues push = image.object("push");
            String dest = push.string("dest").strip();
            requests.add(new CopyTask(new CopyRequest(CopyStep.PUSH, List.of(), push.pattern("src_pattern"),
                    new LocationTemplates(imagesDirLocation(push, variables),
                            dest.startsWith(LocationSchemes.OCI) ? dest : LocationSchemes.OCI + dest, push.string("namespace_override")),
                    push.platforms("platform"), Policy.of(push.string("policy")),
                    options(push, new ReceiptOptions(null, path(push.string("receipt"))))),
                    new TargetSettings(classicAuths(push), push.bool("skip_tls_verify"), PushArgs.of(push), KubeKeyLayout.AS_DIRECTORY, 0)));
        }
        if (requests.isEmpty()) {
            throw new ArgumentException("pull and push are both empty; give at least one of them");
        }
        return requests;
    }

    private static CopyTask copy(ArgValues copy) {
        ArgValues from = copy.object("from");
        ArgValues to = copy.object("to");
        String src = withDefaultScheme(from.string("path"));
        String dest = withDefaultScheme(to.string("path"));
        requireManifestsOrDirectory(from, "manifests", src, "copy.from.path");
        return new CopyTask(new CopyRequest(CopyStep.COPY, references(from, "manifests"), to.pattern("src_pattern"),
                new LocationTemplates(src, dest, null), copy.platforms("platform"), Policy.of(copy.string("policy")),
                options(copy, ReceiptOptions.NONE)),
                TargetSettings.none());
    }

    private static CopyTask newer(ArgValues image) {
        String src = image.string("src");
        String dest = image.string("dest");
        checkScheme(image, "dest", dest);
        if (src != null) {
            checkScheme(image, "src", src);
        }
        requireManifestsOrDirectory(image, "manifests", src, image.key("src"));
        return new CopyTask(new CopyRequest(CopyStep.COPY, references(image, "manifests"), image.pattern("pattern"),
                new LocationTemplates(src, dest, image.string("namespace_override")), image.platforms("platform"),
                Policy.of(image.string("policy")),
                options(image, new ReceiptOptions(path(image.string("exclude")), path(image.string("receipt"))))),
                new TargetSettings(auths(image), image.bool("skip_tls_verify"), PushArgs.of(image),
                        KubeKeyLayout.ofArgument(image.string("layout")), partSize(image)));
    }

    /** {@code max_part_size} in bytes, 0 without it. */
    private static long partSize(ArgValues values) {
        ByteSize size = values.size("max_part_size");
        return size == null ? 0 : size.bytes();
    }

    /** {@code foreign_layers}, {@code concurrency} and {@code referrers}, which every form spells alike, and the receipts. */
    private static CopyOptions options(ArgValues values, ReceiptOptions receipts) {
        return new CopyOptions(ForeignLayers.of(values.string("foreign_layers")), values.integer("concurrency"),
                values.bool("referrers"), receipts);
    }

    private static void requireManifestsOrDirectory(ArgValues values, String key, String src, String srcKey) {
        if (values.strings(key).isEmpty()) {
            requireDirectory(src, values.key(key), srcKey);
        }
    }

    /** Without manifests, the source must be a directory to list. */
    private static void requireDirectory(String src, String manifestsKey, String srcKey) {
        boolean directory = src != null && Location.namesStore(src);
        if (!directory) {
            throw new ArgumentException(manifestsKey + " is required unless " + srcKey
                    + " is a directory or an archive (local://..., oci-layout://... or archive://...), whose images are then all copied");
        }
    }

    private static void checkScheme(ArgValues values, String key, String template) {
        checkScheme(values.key(key), template);
    }

    private static void checkScheme(String key, String template) {
        if (Location.lacksScheme(template.strip())) {
            throw new ArgumentException(key + " '" + template + "' must start with " + Location.SCHEMES_EXPLAINED);
        }
    }

    private static String withDefaultScheme(String path) {
        return Location.SCHEMES.stream().anyMatch(path::startsWith) ? path : Location.ofStorePath(path);
    }

    /**
     * The classic form's {@code images_dir} as a location: a path (a directory, or a {@code .tar} file for a bundle
     * archive), or one with a store's scheme, as the newer form writes it. A registry is refused: written
     * through, {@code archive:///srv/b.tar} had been a folder named {@code archive:} in the working directory.
     */
    private static String imagesDirLocation(ArgValues values, Map<String, Object> variables) {
        String dir = imagesDir(values, variables);
        if (dir.strip().startsWith(LocationSchemes.OCI)) {
            throw new ArgumentException(values.key("images_dir") + " '" + dir + "' names a registry; it is a directory or a bundle"
                    + " archive: a path, local://DIR, oci-layout://DIR or archive://FILE.tar");
        }
        return withDefaultScheme(dir.strip());
    }

    private static String imagesDir(ArgValues values, Map<String, Object> variables) {
        if (values.string("images_dir") != null) {
            return values.string("images_dir");
        }
        Object binaryDir = variables.get("binary_dir");
        if (binaryDir == null || binaryDir.toString().isBlank()) {
            throw new ArgumentException(values.key("images_dir")
                    + " is required: it defaults to ${binary_dir}/images, but the variable binary_dir is not set");
        }
        return Path.of(binaryDir.toString(), "images").toString();
    }

    private static List<ImageReference> references(ArgValues values, String key) {
        List<String> texts = values.strings(key);
        List<ImageReference> references = new ArrayList<>();
        Map<String, ImageReference> seen = new LinkedHashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            try {
                ImageReference reference = ImageReference.parse(texts.get(i));
                if (seen.putIfAbsent(reference.toString(), reference) == null) {
                    references.add(reference);
                }
            } catch (InvalidReferenceException e) {
                throw new ArgumentException(values.key(key) + "[" + i + "]: " + e.getMessage());
            }
        }
        return references;
    }

    private static List<RegistryAuth> classicAuths(ArgValues values) {
        return values.objects("auths").stream()
                .map(a -> RegistryAuth.of(host(a.string("repo"))).withLogin(a.string("username"), a.string("password"))
                        .withTransport(transport(a, "insecure")))
                .toList();
    }

    private static List<RegistryAuth> auths(ArgValues values) {
        return values.objects("auths").stream()
                .map(a -> RegistryAuth.of(host(a.string("registry"))).withLogin(a.string("username"), a.string("password"))
                        .withTransport(transport(a, "skip_tls_verify")))
                .toList();
    }

    /** An {@code auths} entry's TLS keys; {@code skipKey} is how the form names skipping verification. */
    private static RegistryAuth.Transport transport(ArgValues entry, String skipKey) {
        return RegistryAuth.Transport.DEFAULT.withSkipTlsVerify(entry.bool(skipKey)).withPlainHttp(entry.bool("plain_http"))
                .withCaFile(path(entry.string("ca_file")))
                .withClientCertificate(path(entry.string("cert_file")), path(entry.string("key_file")), entry.string("key_password"));
    }

    /** Operators paste URLs into {@code repo:}; the registry is the host[:port] part. */
    private static String host(String value) {
        String host = value.strip().replaceFirst("^[a-z]+://", "");
        int slash = host.indexOf('/');
        return slash < 0 ? host : host.substring(0, slash);
    }

    private static Path path(String value) {
        return value == null ? null : Path.of(value);
    }

    private static Set<String> intersect(Set<String> keys, Set<String> known) {
        Set<String> result = new TreeSet<>(keys);
        result.retainAll(known);
        return result;
    }
}
