/**
 * Authenticating to registries, per host: credentials from {@code auths}, the Docker config and credential
 * helpers; Basic and Bearer challenges answered by the challenging host's own
 * {@link dev.stevedore.image.registry.auth.Authenticator}; tokens fetched once per scope set, and identity
 * tokens exchanged by the OAuth2 refresh grant.
 */
package dev.stevedore.image.registry.auth;
