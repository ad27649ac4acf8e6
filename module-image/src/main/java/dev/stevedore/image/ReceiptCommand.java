package dev.stevedore.image;

import dev.stevedore.image.copy.InvalidLocationException;
import dev.stevedore.image.copy.Location;
import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.receipt.Receipt;
import dev.stevedore.image.receipt.ReceiptFile;
import dev.stevedore.image.receipt.ReceiptTaker;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.reference.InvalidReferenceException;
import dev.stevedore.image.registry.RegistryAuth;
import dev.stevedore.image.registry.RegistrySettings;
import dev.stevedore.image.registry.TaskForm;
import dev.stevedore.image.store.OciLayoutStore;
import dev.stevedore.image.store.StoreOptions;
import dev.stevedore.image.target.ImageTarget;
import dev.stevedore.image.target.LocationSchemes;
import dev.stevedore.spi.ModuleCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code stevedore receipt SOURCE FILE [IMAGE... | DIR]}: writes the receipt of what a directory or a registry
 * holds, for a later delta pull's {@code exclude:} (see {@code docs/image-module.md}, "Delta bundles").
 */
final class ReceiptCommand implements ModuleCommand {

    static final String USAGE = """
            Usage: stevedore receipt SOURCE FILE [IMAGE... | local://DIR | oci-layout://DIR] [--plain-http] [--insecure]

            Writes to FILE the receipt of what SOURCE holds (digests of its manifests and blobs, with its images),
            for a delta pull's exclude: FILE.

              SOURCE local://DIR, oci-layout://DIR or archive://FILE.tar: every image of the bundle, or the IMAGEs named;
                     a plain path is a directory (an OCI layout when it holds oci-layout) or an archive
                     oci://HOST[:PORT]: the IMAGEs named (repository:tag, or references on HOST), or every image
                     of the directory given after FILE, looked up in HOST under its repository and tag
              --plain-http  speak plain HTTP to the registry
              --insecure    do not verify the registry's TLS certificate
            Credentials come from the Docker config (~/.docker/config.json, DOCKER_CONFIG, credential helpers).
            Exit status: 0 written; 1 a usage error; 2 an image is missing or a source cannot be read.
            """;

    private final TargetProvider targets;
    private final Clock clock;

    ReceiptCommand(TargetProvider targets, Clock clock) {
        this.targets = targets;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "receipt";
    }

    @Override
    public String summary() {
        return "write the receipt of what a bundle or registry holds, for a delta pull's exclude:";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public int run(List<String> args, Context context) {
        List<String> operands = new ArrayList<>();
        boolean plainHttp = false;
        boolean insecure = false;
        for (String arg : args) {
            switch (arg) {
                case "--plain-http" -> plainHttp = true;
                case "--insecure" -> insecure = true;
                default -> {
                    if (arg.startsWith("-")) {
                        return usageError(context, "unknown option '" + arg + "'");
                    }
                    operands.add(arg);
                }
            }
        }
        if (operands.size() < 2) {
            return usageError(context, "receipt needs a SOURCE and a FILE");
        }
        try {
            String sourceText = operands.get(0).strip();
            Path file = Path.of(operands.get(1));
            List<String> images = operands.subList(2, operands.size());
            Receipt receipt;
            if (sourceText.startsWith(LocationSchemes.OCI)) {
                String host = registryHost(sourceText.substring(LocationSchemes.OCI.length()));
                RegistrySettings settings = RegistrySettings.defaults(List.of(RegistryAuth.of(host)
                        .withSkipTlsVerify(insecure ? Boolean.TRUE : null).withPlainHttp(plainHttp))).withForm(TaskForm.RECEIPT_COMMAND);
                receipt = ofRegistry(host, images, settings);
            } else {
                receipt = ofDirectory(Location.parse(withScheme(sourceText), "SOURCE"), images);
            }
            ReceiptFile.write(file, receipt);
            context.out().println("receipt " + file + ": " + receipt.images().size() + " images, " + receipt.manifests().size()
                    + " manifests, " + receipt.blobs().size() + " blobs held by " + receipt.source());
            return OK;
        } catch (InvalidLocationException | InvalidReferenceException e) {
            return usageError(context, e.getMessage());
        } catch (IOException | RuntimeException e) {
            context.err().println("stevedore receipt: " + e.getMessage());
            return FAILED;
        }
    }

    private Receipt ofDirectory(Location source, List<String> names) throws IOException {
        requireExists(source, "SOURCE");
        try (ImageTarget directory = targets.directory(source.kind(), source.path(), StoreOptions.defaults())) {
            List<ImageReference> images = new ArrayList<>();
            for (String name : names) {
                images.add(ImageReference.parse(name));
            }
            if (images.isEmpty()) {
                images = directory.list();
                requireImages(source, images);
            }
            return new ReceiptTaker(directory, clock).take(source.toString(), images);
        }
    }

    /**
     * SOURCE given as a plain path, as {@code stevedore verify} takes one: a directory with an {@code oci-layout}
     * file is an OCI layout, another directory an images directory, and anything else a bundle archive (its file,
     * a part, or the parts' base name). A location with a scheme is as given.
     */
    private static String withScheme(String text) {
        if (text.contains("://")) {
            return text;
        }
        Path path = Path.of(text).toAbsolutePath();
        if (!Files.isDirectory(path)) {
            return LocationSchemes.ARCHIVE + path;
        }
        return (Files.exists(path.resolve(OciLayoutStore.MARKER)) ? LocationSchemes.OCI_LAYOUT : LocationSchemes.LOCAL) + path;
    }

    /**
     * A receipt of no image excludes nothing, so that a delta pulled with it is the whole bundle again: said at
     * once rather than found at the air gap. An OCI layout whose entries name only a tag (skopeo's
     * {@code oci:DIR:1.0}) lists none, since such a name has no repository.
     */
    private static void requireImages(Location source, List<ImageReference> images) throws ImageException {
        if (images.isEmpty()) {
            throw new ImageException("SOURCE " + source + " lists no image, so its receipt would exclude nothing"
                    + (source.kind() == Location.Kind.OCI_LAYOUT ? "; an OCI layout lists " + LocationSchemes.OCI_LAYOUT_LISTS : "")
                    + "; name the bundle the far side holds");
        }
    }

    /** A store of a path that is not there lists nothing, and an empty receipt would exclude nothing. */
    private static void requireExists(Location bundle, String operand) throws ImageException {
        if (!bundle.exists()) {
            throw new ImageException(operand + " " + bundle + " does not exist"
                    + (bundle.kind() == Location.Kind.ARCHIVE ? " (nor its first part, .part-0001)" : "")
                    + "; name the bundle the far side holds");
        }
    }

    /** {@code HOST[:PORT]}, or the registry of a reference given instead ({@code oci://HOST/repo:tag}). */
    private static String registryHost(String text) {
        if (text.isEmpty()) {
            throw new InvalidLocationException("SOURCE oci:// names no registry");
        }
        return text.contains("/") ? ImageReference.parse(text).registry() : text;
    }

    private Receipt ofRegistry(String host, List<String> names, RegistrySettings settings) throws IOException {
        List<ImageReference> images = new ArrayList<>();
        if (names.size() == 1 && Location.namesStore(names.get(0))) {
            Location listed = Location.parse(names.get(0), "DIR");
            requireExists(listed, "DIR");
            try (ImageTarget directory = targets.directory(listed.kind(), listed.path(), StoreOptions.defaults())) {
                for (ImageReference image : directory.list()) {
                    images.add(new ImageReference(host, image.repository(), image.tag(), image.digest()));
                }
            }
        } else {
            for (String name : names) {
                ImageReference parsed = ImageReference.parse(name.startsWith(host + "/") ? name : host + "/" + name);
                images.add(parsed);
            }
        }
        if (images.isEmpty()) {
            throw new InvalidLocationException("a registry cannot be listed: name its IMAGEs, or give a directory whose images to look up");
        }
        try (ImageTarget registry = targets.registries(settings)) {
            return new ReceiptTaker(registry, clock).take(LocationSchemes.OCI + host, images);
        }
    }

    private int usageError(Context context, String message) {
        context.err().println("stevedore receipt: " + message + " (see stevedore receipt --help)");
        return USAGE_ERROR;
    }
}
