/**
 * The one copy engine for every direction, knowing only {@link dev.stevedore.image.target.ImageTarget}s opened
 * by a {@link dev.stevedore.image.copy.TargetFactory} bound to the request: rendering each image's locations
 * ({@link dev.stevedore.image.copy.ImageLocations}), planning (manifests, platforms, blobs) without writing,
 * then transferring every distinct blob once per destination, manifests after their blobs, referrers after
 * their subject; and the results an operator registers.
 */
package dev.stevedore.image.copy;
