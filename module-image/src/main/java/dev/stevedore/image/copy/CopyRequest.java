package dev.stevedore.image.copy;

import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.registry.PushOptions;
import dev.stevedore.image.registry.RegistryAuth;
import dev.stevedore.image.store.StoreOptions.KubeKeyLayout;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One copy the module performs, whatever task form it came from: the copier's only input.
 *
 * @param label             {@code pull}, {@code push}, {@code copy}: names the step in messages
 * @param manifests         the images to copy; empty means every image of a directory source
 * @param src               a template rendered per image to {@code oci://ref}, {@code local://path} or
 *                          {@code oci-layout://path}; null when each manifest names its own registry
 * @param dest              a template rendered per image, same schemes
 * @param pattern           keeps only images whose name {@code registry/repository:tag} matches; null for all
 * @param platforms         which platforms to copy
 * @param policy            what a missing platform does
 * @param foreignLayers     whether layers with {@code urls} that the source lacks are fetched from those URLs
 * @param namespaceOverride replaces the repository's namespace before {@code dest} is rendered, or null
 * @param auths             rendered registry settings, once per task
 * @param skipTlsVerify     the task-wide default for registries without an {@code auths} entry
 * @param concurrency       large transfers in flight at once, across images and blobs (small ones: {@link TransferSlots})
 * @param layout            the KubeKey generation of repositories new to a {@code local://} destination
 *                          (the task argument {@code layout}; {@link KubeKeyLayout#AS_DIRECTORY} without it)
 * @param referrers         whether what refers to each copied manifest (signatures, SBOMs, attestations) is copied too
 * @param push              {@code chunk_size} and {@code create_project}, for registry destinations
 */
public record CopyRequest(String label, List<ImageReference> manifests, String src, String dest, Pattern pattern,
                          PlatformSelection platforms, Policy policy, ForeignLayers foreignLayers, String namespaceOverride,
                          List<RegistryAuth> auths, boolean skipTlsVerify, int concurrency, KubeKeyLayout layout,
                          boolean referrers, PushOptions push) {

    public CopyRequest {
        Objects.requireNonNull(label, "label");
        manifests = List.copyOf(manifests);
        Objects.requireNonNull(dest, "dest");
        Objects.requireNonNull(platforms, "platforms");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(foreignLayers, "foreignLayers");
        auths = List.copyOf(auths);
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(push, "push");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be positive, got " + concurrency);
        }
    }

    /** Without referrers, pushing with the default options. */
    public CopyRequest(String label, List<ImageReference> manifests, String src, String dest, Pattern pattern,
                       PlatformSelection platforms, Policy policy, ForeignLayers foreignLayers, String namespaceOverride,
                       List<RegistryAuth> auths, boolean skipTlsVerify, int concurrency, KubeKeyLayout layout) {
        this(label, manifests, src, dest, pattern, platforms, policy, foreignLayers, namespaceOverride, auths, skipTlsVerify,
                concurrency, layout, false, PushOptions.defaults());
    }

    /** The same request with referrers copied or not. */
    public CopyRequest withReferrers(boolean copyReferrers) {
        return new CopyRequest(label, manifests, src, dest, pattern, platforms, policy, foreignLayers, namespaceOverride, auths,
                skipTlsVerify, concurrency, layout, copyReferrers, push);
    }

    /** The same request pushing into registries with {@code options} ({@code chunk_size}, {@code create_project}). */
    public CopyRequest withPush(PushOptions options) {
        return new CopyRequest(label, manifests, src, dest, pattern, platforms, policy, foreignLayers, namespaceOverride, auths,
                skipTlsVerify, concurrency, layout, referrers, options);
    }

    /** Patterns have no value equality; compare them by their source so that requests can be compared in tests. */
    @Override
    public boolean equals(Object other) {
        return other instanceof CopyRequest that && label.equals(that.label) && manifests.equals(that.manifests)
                && Objects.equals(src, that.src) && dest.equals(that.dest)
                && Objects.equals(pattern == null ? null : pattern.pattern(), that.pattern == null ? null : that.pattern.pattern())
                && platforms.equals(that.platforms) && policy == that.policy && foreignLayers == that.foreignLayers
                && Objects.equals(namespaceOverride, that.namespaceOverride) && auths.equals(that.auths)
                && skipTlsVerify == that.skipTlsVerify && concurrency == that.concurrency && layout == that.layout
                && referrers == that.referrers && push.equals(that.push);
    }

    @Override
    public int hashCode() {
        return Objects.hash(label, manifests, src, dest, platforms, policy);
    }
}
