package dev.stevedore.image.args;

import static dev.stevedore.image.args.ArgType.BOOLEAN;
import static dev.stevedore.image.args.ArgType.NON_EMPTY_STRING;
import static dev.stevedore.image.args.ArgType.OBJECT;
import static dev.stevedore.image.args.ArgType.OBJECT_LIST;
import static dev.stevedore.image.args.ArgType.PLATFORMS;
import static dev.stevedore.image.args.ArgType.POSITIVE_INTEGER;
import static dev.stevedore.image.args.ArgType.REGEX;
import static dev.stevedore.image.args.ArgType.STRING;
import static dev.stevedore.image.args.ArgType.STRING_LIST;


/**
 * The one place where every form of the {@code image} task declares its keys, types, defaults and
 * required fields (contract, section 2). Key names are those KubeKey's code reads ({@code auths},
 * {@code skip_tls_verify}), not the misspellings of its docs.
 */
public final class ImageArgSpecs {

    /** Copy parallelism when the task does not say: images and blobs in flight together. */
    public static final int DEFAULT_CONCURRENCY = 8;

    private static final Arg CONCURRENCY = Arg.optional("concurrency", POSITIVE_INTEGER).withDefault(DEFAULT_CONCURRENCY);
    private static final Arg SKIP_TLS_VERIFY = Arg.optional("skip_tls_verify", BOOLEAN).withDefault(false);
    private static final Arg PLATFORM = Arg.optional("platform", PLATFORMS);
    private static final Arg POLICY = Arg.optional("policy", STRING).withDefault("strict").oneOf("strict", "warn");
    private static final Arg FOREIGN_LAYERS = Arg.optional("foreign_layers", STRING).withDefault("skip").oneOf("skip", "include");
    private static final Arg NAMESPACE_OVERRIDE = Arg.optional("namespace_override", NON_EMPTY_STRING);
    private static final Arg IMAGES_DIR = Arg.optional("images_dir", NON_EMPTY_STRING);

    /**
     * An {@code auths} entry of the classic form, as KubeKey's first module reads it, plus
     * {@code plain_http} (beyond the original) so that a classic task can reach an HTTP-only registry.
     */
    public static final ArgSpec CLASSIC_AUTH = ArgSpec.of("auths[]",
            Arg.required("repo", NON_EMPTY_STRING),
            Arg.optional("username", STRING),
            Arg.optional("password", STRING).asSecret(),
            Arg.optional("insecure", BOOLEAN),
            Arg.optional("plain_http", BOOLEAN).withDefault(false));

    /** An {@code auths} entry of the newer form. */
    public static final ArgSpec AUTH = ArgSpec.of("auths[]",
            Arg.required("registry", NON_EMPTY_STRING),
            Arg.optional("username", STRING),
            Arg.optional("password", STRING).asSecret(),
            Arg.optional("skip_tls_verify", BOOLEAN),
            Arg.optional("plain_http", BOOLEAN).withDefault(false),
            Arg.optional("ca_file", NON_EMPTY_STRING),
            Arg.optional("cert_file", NON_EMPTY_STRING),
            Arg.optional("key_file", NON_EMPTY_STRING));

    /** {@code pull:} of the classic form: registries to {@code images_dir}. */
    public static final ArgSpec PULL = ArgSpec.of("pull",
            Arg.required("manifests", STRING_LIST),
            IMAGES_DIR, SKIP_TLS_VERIFY, PLATFORM, POLICY, FOREIGN_LAYERS, CONCURRENCY,
            Arg.optional("auths", OBJECT_LIST).of(CLASSIC_AUTH));

    /** {@code push:} of the classic form: every image of {@code images_dir} (matching) to {@code dest}. */
    public static final ArgSpec PUSH = ArgSpec.of("push",
            Arg.required("dest", NON_EMPTY_STRING).renderedPerImage(),
            Arg.optional("src_pattern", REGEX),
            IMAGES_DIR, NAMESPACE_OVERRIDE, SKIP_TLS_VERIFY, PLATFORM, POLICY, FOREIGN_LAYERS, CONCURRENCY,
            Arg.optional("auths", OBJECT_LIST).of(CLASSIC_AUTH));

    /** The classic form: {@code pull:} and/or {@code push:} (pull runs first). */
    public static final ArgSpec CLASSIC = ArgSpec.of("image",
            Arg.optional("pull", OBJECT).of(PULL),
            Arg.optional("push", OBJECT).of(PUSH));

    /** The newer form: {@code manifests}, {@code src}, {@code dest} with {@code oci://}, {@code local://}, {@code oci-layout://}. */
    public static final ArgSpec NEWER = ArgSpec.of("image",
            Arg.optional("manifests", STRING_LIST),
            Arg.optional("src", NON_EMPTY_STRING).renderedPerImage(),
            Arg.required("dest", NON_EMPTY_STRING).renderedPerImage(),
            Arg.optional("pattern", REGEX),
            PLATFORM, POLICY, FOREIGN_LAYERS, NAMESPACE_OVERRIDE, SKIP_TLS_VERIFY, CONCURRENCY,
            Arg.optional("auths", OBJECT_LIST).of(AUTH));

    /** {@code copy.from} of KubeKey's deprecated copy form. */
    public static final ArgSpec COPY_FROM = ArgSpec.of("copy.from",
            Arg.required("path", NON_EMPTY_STRING),
            Arg.optional("manifests", STRING_LIST));

    /** {@code copy.to} of KubeKey's deprecated copy form. */
    public static final ArgSpec COPY_TO = ArgSpec.of("copy.to",
            Arg.required("path", NON_EMPTY_STRING),
            Arg.optional("src_pattern", REGEX));

    /** KubeKey's deprecated {@code copy:} form, mapped onto the newer one. */
    public static final ArgSpec COPY = ArgSpec.of("image",
            Arg.required("copy", OBJECT).of(ArgSpec.of("copy",
                    PLATFORM, POLICY, FOREIGN_LAYERS, CONCURRENCY,
                    Arg.required("from", OBJECT).of(COPY_FROM),
                    Arg.required("to", OBJECT).of(COPY_TO))));

    private ImageArgSpecs() {
    }
}
