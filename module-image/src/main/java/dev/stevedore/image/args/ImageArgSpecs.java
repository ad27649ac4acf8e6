package dev.stevedore.image.args;

import static dev.stevedore.image.args.ArgType.BOOLEAN;
import static dev.stevedore.image.args.ArgType.NON_EMPTY_STRING;
import static dev.stevedore.image.args.ArgType.OBJECT;
import static dev.stevedore.image.args.ArgType.OBJECT_LIST;
import static dev.stevedore.image.args.ArgType.PLATFORMS;
import static dev.stevedore.image.args.ArgType.POSITIVE_INTEGER;
import static dev.stevedore.image.args.ArgType.REGEX;
import static dev.stevedore.image.args.ArgType.SIZE;
import static dev.stevedore.image.args.ArgType.STRING;
import static dev.stevedore.image.args.ArgType.STRING_LIST;

import java.util.List;

/**
 * The one place where every form of the {@code image} task declares its keys, types, defaults and
 * required fields (contract, section 2). Key names are those KubeKey's code reads ({@code auths},
 * {@code skip_tls_verify}), not the misspellings of its docs.
 */
public final class ImageArgSpecs {

    /** Copy parallelism when the task does not say: images and blobs in flight together. */
    public static final int DEFAULT_CONCURRENCY = 8;

    private static final Arg CONCURRENCY = Arg.optional("concurrency", POSITIVE_INTEGER).withDefault(DEFAULT_CONCURRENCY)
            .described("transfers of large blobs (1 MiB and more) in flight at once, across all images of the task;"
                    + " four smaller ones (manifests, small blobs) go in the place of one; 1: one transfer at a time (1 to 1024)");
    private static final Arg SKIP_TLS_VERIFY = Arg.optional("skip_tls_verify", BOOLEAN).withDefault(false)
            .described("do not verify registries' TLS certificates, for every registry whose auths entry does not say otherwise");
    private static final Arg PLATFORM = Arg.optional("platform", PLATFORMS)
            .described("all (also when absent: an index is copied as it is, its digest kept), one os/arch[/variant], "
                    + "or a list of them; a subset yields a new index holding only those entries");
    private static final Arg POLICY = Arg.optional("policy", STRING).withDefault("strict").oneOf("strict", "warn")
            .described("what a requested platform an image lacks does: strict fails the image, "
                    + "warn logs it and copies the platforms that exist");
    private static final Arg FOREIGN_LAYERS = Arg.optional("foreign_layers", STRING).withDefault("skip").oneOf("skip", "include")
            .described("layers with urls (Windows base layers, non-distributable layers) that the source does not hold: "
                    + "skip leaves them out, as skopeo does (the manifest is still copied whole); include downloads them "
                    + "from their urls and copies them");
    private static final Arg REFERRERS = Arg.optional("referrers", BOOLEAN).withDefault(false)
            .described("also copy what refers to each copied manifest (cosign signatures, SBOMs, attestations): found "
                    + "through the source's referrers API, else its sha256-<hex> referrers tag index, and cosign's "
                    + "sha256-<hex>.sig/.att/.sbom tags; pushed through the destination's referrers API, else the tag index");
    private static final Arg NAMESPACE_OVERRIDE = Arg.optional("namespace_override", NON_EMPTY_STRING)
            .described("replaces the repository's namespace (every path component but the last) before dest is "
                    + "rendered: library/nginx becomes NAMESPACE/nginx");
    private static final Arg IMAGES_DIR = Arg.optional("images_dir", NON_EMPTY_STRING)
            .described("the KubeKey images directory; defaults to ${binary_dir}/images when the variable binary_dir is set");
    private static final Arg LAYOUT = Arg.optional("layout", STRING).oneOf("kubekey-v1", "kubekey-v2")
            .described("the KubeKey generation a repository new to a local:// directory is written in: kubekey-v1 tag files, "
                    + "or kubekey-v2 (today's KubeKey) manifests by digest plus a manifests/layout tag list; "
                    + "by default what the directory's repositories already use, else kubekey-v1");
    private static final Arg CHUNK_SIZE = Arg.optional("chunk_size", SIZE)
            .described("upload blobs to registries in PATCH chunks of this size (bytes, or with a unit: 5MiB, 5M, 5MB; "
                    + "at least 64KiB) instead of one request per blob, for registries or proxies that refuse large requests; "
                    + "without it a registry that refuses a whole blob (413) is switched to chunks on its own");
    private static final Arg CREATE_PROJECT = Arg.optional("create_project", BOOLEAN).withDefault(false)
            .described("create a missing Harbor project through Harbor's API, with the credentials of the registry's auths "
                    + "entry, before the first push into it (private, as Harbor's UI does)");

    private static final Arg MAX_PART_SIZE = Arg.optional("max_part_size", SIZE)
            .described("write a bundle archive (archive://FILE.tar, or a classic images_dir naming a .tar file) in parts "
                    + "of this size, FILE.tar.part-0001, -0002, ..., each exactly this size but the last (4095M for DVDs or FAT32 "
                    + "media, which hold 4 GiB less one byte at most; cat joins them); a push is given the first part and finds the rest");
    private static final Arg EXCLUDE = Arg.optional("exclude", NON_EMPTY_STRING)
            .described("a receipt file (stevedore receipt, or a push's receipt:) of what the far side already holds: "
                    + "its blobs are left out of the directory written, whose manifests stay complete, and the directory is "
                    + "marked (stevedore-delta.json) so that its push checks the far side holds them; directory destinations only");
    private static final Arg RECEIPT = Arg.optional("receipt", NON_EMPTY_STRING)
            .described("after the copy, write to this file the receipt of what it left at the destination (every image "
                    + "copied or up to date, with its manifests and blobs), for a later delta pull's exclude:");

    private static final Arg USERNAME = Arg.optional("username", STRING).described("the user for Basic or token auth");
    private static final Arg PASSWORD = Arg.optional("password", STRING).asSecret()
            .described("the password; never printed, also not in errors");
    private static final Arg PLAIN_HTTP = Arg.optional("plain_http", BOOLEAN).withDefault(false)
            .described("speak plain HTTP to this registry instead of HTTPS");
    private static final Arg CA_FILE = Arg.optional("ca_file", NON_EMPTY_STRING)
            .described("PEM file of the certificate authorities to trust for this registry, besides the system's");
    private static final Arg CERT_FILE = Arg.optional("cert_file", NON_EMPTY_STRING)
            .described("client certificate (PEM or DER), for mutual TLS (with key_file)");
    private static final Arg KEY_FILE = Arg.optional("key_file", NON_EMPTY_STRING)
            .described("private key of cert_file: PKCS#8, PKCS#1 RSA, SEC1 EC or encrypted PKCS#8, PEM or DER");
    private static final Arg KEY_PASSWORD = Arg.optional("key_password", STRING).asSecret()
            .described("the password of an encrypted key_file; never printed, also not in errors");

    /**
     * An {@code auths} entry of the classic form, as KubeKey's first module reads it, plus the newer
     * form's transport keys ({@code plain_http}, {@code ca_file}, {@code cert_file}, {@code key_file},
     * {@code key_password}; beyond the original) so that a classic task reaches every registry a newer one does.
     */
    public static final ArgSpec CLASSIC_AUTH = ArgSpec.of("auths[]",
            Arg.required("repo", NON_EMPTY_STRING)
                    .described("the registry, host[:port]; a URL is cut to its host (docker.io stands for registry-1.docker.io)"),
            USERNAME, PASSWORD,
            Arg.optional("insecure", BOOLEAN)
                    .described("skip TLS verification for this registry (and fall back to plain HTTP if it serves that); "
                            + "when absent, skip_tls_verify applies"),
            PLAIN_HTTP, CA_FILE, CERT_FILE, KEY_FILE, KEY_PASSWORD);

    /** An {@code auths} entry of the newer form. */
    public static final ArgSpec AUTH = ArgSpec.of("auths[]",
            Arg.required("registry", NON_EMPTY_STRING)
                    .described("the registry, host[:port]; a URL is cut to its host (docker.io stands for registry-1.docker.io)"),
            USERNAME, PASSWORD,
            Arg.optional("skip_tls_verify", BOOLEAN)
                    .described("skip TLS verification for this registry (and fall back to plain HTTP if it serves that); "
                            + "when absent, the task's skip_tls_verify applies"),
            PLAIN_HTTP, CA_FILE, CERT_FILE, KEY_FILE, KEY_PASSWORD);

    /** {@code pull:} of the classic form: registries to {@code images_dir}. */
    public static final ArgSpec PULL = ArgSpec.of("pull",
            Arg.required("manifests", STRING_LIST)
                    .described("the images to pull: references such as nginx:1.27 or quay.io/org/app@sha256:..., "
                            + "or a template that renders to a list"),
            IMAGES_DIR, SKIP_TLS_VERIFY, PLATFORM, POLICY, FOREIGN_LAYERS, REFERRERS, CONCURRENCY, LAYOUT, MAX_PART_SIZE, EXCLUDE,
            Arg.optional("auths", OBJECT_LIST).of(CLASSIC_AUTH).described("credentials and transport, one entry per registry"));

    /** {@code push:} of the classic form: every image of {@code images_dir} (matching) to {@code dest}. */
    public static final ArgSpec PUSH = ArgSpec.of("push",
            Arg.required("dest", NON_EMPTY_STRING).renderedPerImage()
                    .described("the destination reference, a template rendered once per image with "
                            + "module.image.src.reference.{registry,repository,reference}; oci:// may be left out"),
            Arg.optional("src_pattern", REGEX)
                    .described("push only the images whose name registry/repository:tag this regular expression finds"),
            IMAGES_DIR, NAMESPACE_OVERRIDE, SKIP_TLS_VERIFY, PLATFORM, POLICY, FOREIGN_LAYERS, REFERRERS, CONCURRENCY, CHUNK_SIZE,
            CREATE_PROJECT, RECEIPT,
            Arg.optional("auths", OBJECT_LIST).of(CLASSIC_AUTH).described("credentials and transport, one entry per registry"));

    /** The classic form: {@code pull:} and/or {@code push:} (pull runs first). */
    public static final ArgSpec CLASSIC = ArgSpec.of("image",
            Arg.optional("pull", OBJECT).of(PULL).described("registries to images_dir"),
            Arg.optional("push", OBJECT).of(PUSH).described("every image of images_dir (or those src_pattern keeps) to dest"));

    /** The newer form: {@code manifests}, {@code src}, {@code dest} with {@code oci://}, {@code local://}, {@code oci-layout://}. */
    public static final ArgSpec NEWER = ArgSpec.of("image",
            Arg.optional("manifests", STRING_LIST)
                    .described("the images to copy (references, or a template that renders to a list); "
                            + "required unless src is a directory, whose images are then all copied"),
            Arg.optional("src", NON_EMPTY_STRING).renderedPerImage()
                    .described("where each image comes from: oci://REFERENCE, local://DIR or oci-layout://DIR, a template "
                            + "rendered per image with module.image.reference.{registry,repository,reference}; "
                            + "when absent, each manifest is read from its own registry"),
            Arg.required("dest", NON_EMPTY_STRING).renderedPerImage()
                    .described("where each image goes, same schemes and variables as src"),
            Arg.optional("pattern", REGEX)
                    .described("copy only the images whose name registry/repository:tag this regular expression finds"),
            PLATFORM, POLICY, FOREIGN_LAYERS, REFERRERS, NAMESPACE_OVERRIDE, SKIP_TLS_VERIFY, CONCURRENCY, LAYOUT, MAX_PART_SIZE,
            CHUNK_SIZE, CREATE_PROJECT, EXCLUDE, RECEIPT,
            Arg.optional("auths", OBJECT_LIST).of(AUTH).described("credentials and transport, one entry per registry"));

    /** {@code copy.from} of KubeKey's deprecated copy form. */
    public static final ArgSpec COPY_FROM = ArgSpec.of("copy.from",
            Arg.required("path", NON_EMPTY_STRING)
                    .described("the source: a directory (local:// may be left out), oci-layout://DIR or oci://REFERENCE"),
            Arg.optional("manifests", STRING_LIST)
                    .described("the images to copy; when absent, every image of the directory"));

    /** {@code copy.to} of KubeKey's deprecated copy form. */
    public static final ArgSpec COPY_TO = ArgSpec.of("copy.to",
            Arg.required("path", NON_EMPTY_STRING)
                    .described("the destination, same schemes as copy.from.path"),
            Arg.optional("src_pattern", REGEX)
                    .described("copy only the images whose name registry/repository:tag this regular expression finds"));

    /** KubeKey's deprecated {@code copy:} form, mapped onto the newer one. */
    public static final ArgSpec COPY = ArgSpec.of("image",
            Arg.required("copy", OBJECT).of(ArgSpec.of("copy",
                    PLATFORM, POLICY, FOREIGN_LAYERS, REFERRERS, CONCURRENCY,
                    Arg.required("from", OBJECT).of(COPY_FROM).described("where the images come from"),
                    Arg.required("to", OBJECT).of(COPY_TO).described("where they go")))
                    .described("KubeKey's deprecated copy form, run as the newer form"));

    /** The verify form: re-hash a bundle and check it against its manifests and its integrity manifest. */
    public static final ArgSpec VERIFY = ArgSpec.of("image",
            Arg.required("verify", NON_EMPTY_STRING)
                    .described("the bundle to verify: local://DIR (or DIR), a KubeKey images directory, or archive://FILE.tar, "
                            + "a bundle archive whose parts are first checked against FILE.tar.sha256; every blob is re-hashed, every manifest read, and stevedore-bundle.json compared with the contents; "
                            + "the task fails, listing each missing, corrupt or extra item, when one is wrong"));

    /** One line on what the module does, for {@code stevedore modules}. */
    public static final String DESCRIPTION =
            "pull, push and copy container images between registries, KubeKey images directories and OCI image layouts";

    private ImageArgSpecs() {
    }

    /** The argument reference {@code stevedore doc image} prints, generated from the specs above. */
    public static String reference() {
        return ArgReference.render("image: " + DESCRIPTION, List.of(
                new ArgReference.Form("CLASSIC FORM", "image: {pull: {...}, push: {...}}, as in KubeKey's first module; "
                        + "a task may hold both, and pull runs first.", CLASSIC),
                new ArgReference.Form("NEWER FORM", "image: {manifests, src, dest, ...}, as in KubeKey's current module: "
                        + "every direction between oci://, local:// and oci-layout://.", NEWER),
                new ArgReference.Form("DEPRECATED COPY FORM", "image: {copy: {from: {...}, to: {...}}}, KubeKey's "
                        + "deprecated form, run as the newer one.", COPY),
                new ArgReference.Form("VERIFY FORM", "image: {verify: local:///DIR or archive:///FILE.tar}, what stevedore verify BUNDLE does, as a "
                        + "task; register: gives intact, problems, notes, blobs, bytes, manifests, images.", VERIFY)),
                "Every value is a FreeMarker template (${...}) rendered with the host's variables, once per task; src "
                        + "and dest are rendered once per image. Unknown keys, wrong types, and references, regular "
                        + "expressions and platforms that are not templates fail before the playbook's first task runs. "
                        + "register: gives images (one entry per image: source, destination, status, digest, media_type, "
                        + "platforms, blobs_copied, blobs_skipped, blobs_mounted, blobs_foreign, blobs_excluded, bytes, error, "
                        + "referrers) and the totals images_total, images_copied, images_unchanged, images_skipped, images_failed, "
                        + "blobs_copied, blobs_skipped, blobs_mounted, blobs_foreign, blobs_excluded, bytes. More: docs/image-module.md.");
    }
}
