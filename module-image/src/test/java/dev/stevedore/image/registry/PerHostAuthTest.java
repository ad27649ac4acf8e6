package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.PrefixRedirector;
import dev.stevedore.testsupport.RecordedRequest;
import dev.stevedore.testsupport.RecordedTokenRequest;
import dev.stevedore.testsupport.RegistryServer;
import dev.stevedore.testsupport.TestCertificates;
import dev.stevedore.testsupport.TokenServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who receives which secret once redirects and challenges combine, proven by every server's own log.
 * A front shaped like registry.k8s.io ({@link PrefixRedirector}) sends every repository request to a real
 * registry with token auth that keeps the images under {@code k8s-artifacts-prod/images/}; a recording
 * proxy in front of that registry logs the Authorization of each request it gets, the token server logs
 * who asked for which scope. The invariants:
 * <ul>
 *   <li>a token goes only to the host whose challenge named the realm that issued it;</li>
 *   <li>Basic credentials go only to the host they are configured for and to the realm its challenge names;</li>
 *   <li>a redirect target on another origin gets nothing unless it challenges itself.</li>
 * </ul>
 */
class PerHostAuthTest {

    static final String PREFIX = "k8s-artifacts-prod/images";
    static final String BACKEND_SCOPE = "repository:" + PREFIX + "/pause:pull";

    @TempDir
    static Path folder;
    static TestCertificates certificates;
    static TokenServer backendTokens;
    static RegistryServer backend;
    static FaultProxy backendLog;
    static PrefixRedirector front;
    static RegistryServer tlsBackend;
    static FaultProxy tlsBackendLog;
    static PrefixRedirector tlsFront;
    static TestImage image;

    @BeforeAll
    static void start() throws Exception {
        certificates = TestCertificates.create(Files.createDirectory(folder.resolve("certs")));
        backendTokens = TokenServer.builder().user("pusher", "backend-pw-4471").allowAnonymousPull().start();
        backend = RegistryServer.builder().tokenAuth(backendTokens).start();
        backendLog = FaultProxy.start(backend.baseUri());
        front = PrefixRedirector.start(backendLog.baseUri(), PREFIX);
        tlsBackend = RegistryServer.builder().tls(certificates).tokenAuth(backendTokens).start();
        tlsBackendLog = FaultProxy.startTls(tlsBackend.baseUri(), certificates.trustingContext(), certificates.serverContext());
        tlsFront = PrefixRedirector.startTls(tlsBackendLog.baseUri(), PREFIX, certificates.serverContext());

        image = TestImage.multiArch(Files.createDirectory(folder.resolve("blobs")), 20_000);
        try (RegistryTarget pusher = new RegistryTarget(Settings.of(List.of(
                Settings.plain(backend.hostPort(), "pusher", "backend-pw-4471"),
                RegistryAuth.of(tlsBackend.hostPort()).withLogin("pusher", "backend-pw-4471")
                        .withTransport(RegistryAuth.Transport.DEFAULT.withCaFile(certificates.caCertificate())))))) {
            image.push(pusher, ImageReference.parse(backend.hostPort() + "/" + PREFIX + "/pause:3.9"));
            image.push(pusher, ImageReference.parse(tlsBackend.hostPort() + "/" + PREFIX + "/pause:3.9"));
        }
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable server : new AutoCloseable[] {front, backendLog, backend, tlsFront, tlsBackendLog, tlsBackend, backendTokens}) {
            try {
                server.close();
            } catch (Exception ignored) {
                // the others still get closed
            }
        }
    }

    @Test
    void aRedirectedPullSucceedsAnonymouslyAndTheRedirectorGetsNothing() throws Exception {
        Log log = Log.start(front, backendLog);
        try (RegistryTarget anonymous = new RegistryTarget(Settings.of(List.of(Settings.plain(front.hostPort()))))) {
            pullWhole(anonymous, ImageReference.parse(front.hostPort() + "/pause:3.9"));
        }
        log.assertInvariants(null);
    }

    @Test
    void credentialsForTheRedirectorsHostGoNeitherToItNorToTheTargetsTokenService() throws Exception {
        Log log = Log.start(front, backendLog);
        try (RegistryTarget withCredentials = new RegistryTarget(Settings.of(List.of(
                Settings.plain(front.hostPort(), "front-user", "front-secret-8812"))))) {
            pullWhole(withCredentials, ImageReference.parse(front.hostPort() + "/pause:3.9"));
        }
        log.assertInvariants(null);
    }

    @Test
    void overTlsTheSameHolds() throws Exception {
        Log log = Log.start(tlsFront, tlsBackendLog);
        RegistryAuth frontAuth = RegistryAuth.of(tlsFront.hostPort()).withLogin("front-user", "front-secret-8812")
                .withTransport(RegistryAuth.Transport.DEFAULT.withCaFile(certificates.caCertificate()));
        try (RegistryTarget withCredentials = new RegistryTarget(Settings.of(List.of(frontAuth)))) {
            pullWhole(withCredentials, ImageReference.parse(tlsFront.hostPort() + "/pause:3.9"));
        }
        log.assertInvariants(null);
    }

    @Test
    void theTargetsOwnCredentialsGoToItsTokenServiceAndItsTokensOnlyToIt() throws Exception {
        Log log = Log.start(front, backendLog);
        try (RegistryTarget both = new RegistryTarget(Settings.of(List.of(
                Settings.plain(front.hostPort(), "front-user", "front-secret-8812"),
                Settings.plain(backendLog.hostPort(), "pusher", "backend-pw-4471"))))) {
            pullWhole(both, ImageReference.parse(front.hostPort() + "/pause:3.9"));
        }
        log.assertInvariants("pusher");
    }

    @Test
    void anUnauthorizedRedirectTargetIsNamedAsTheHostThatRefused() throws Exception {
        try (TokenServer closed = TokenServer.builder().start(); // anonymous callers get tokens without access
             RegistryServer private_ = RegistryServer.builder().tokenAuth(closed).start();
             PrefixRedirector privateFront = PrefixRedirector.start(private_.baseUri(), PREFIX);
             RegistryTarget anonymous = new RegistryTarget(Settings.of(List.of(Settings.plain(privateFront.hostPort()))))) {
            RegistryException.Unauthorized e = assertThrows(RegistryException.Unauthorized.class,
                    () -> anonymous.resolve(ImageReference.parse(privateFront.hostPort() + "/pause:3.9")));
            assertTrue(e.getMessage().contains("needs a login at " + private_.hostPort()), e.getMessage());
            assertTrue(e.getMessage().contains("no credentials were given for " + private_.hostPort()), e.getMessage());
            assertFalse(e.getMessage().contains("check the"), e.getMessage());
            assertEquals(1, closed.requests().size(), "the token just issued is refused: no second fetch, " + closed.requests());
        }
    }

    @Test
    void blobsRedirectedToStorageThatRefusesAnyAuthorizationAreFetchedWithoutIt() throws Exception {
        List<String> seenByStorage = new CopyOnWriteArrayList<>();
        HttpServer storage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        storage.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            seenByStorage.add(String.valueOf(authorization));
            TestImage.Blob blob = image.blobs().stream()
                    .filter(b -> exchange.getRequestURI().getPath().endsWith(b.descriptor().digest().toString())).findFirst().orElse(null);
            if (authorization != null || blob == null) {
                // What S3 answers a presigned URL that also carries an Authorization header.
                exchange.sendResponseHeaders(400, -1);
            } else {
                byte[] content = Files.readAllBytes(blob.file());
                exchange.sendResponseHeaders(200, content.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(content);
                }
            }
            exchange.close();
        });
        storage.start();
        try (FaultProxy blobsElsewhere = FaultProxy.start(backend.baseUri());
             RegistryTarget pusher = new RegistryTarget(Settings.of(List.of(Settings.plain(blobsElsewhere.hostPort(), "pusher", "backend-pw-4471"))))) {
            blobsElsewhere.on("GET", ".*/blobs/sha256:.*").always().redirectTo(URI.create("http://127.0.0.1:" + storage.getAddress().getPort()));
            pullWhole(pusher, ImageReference.parse(blobsElsewhere.hostPort() + "/" + PREFIX + "/pause:3.9"));
            assertEquals(image.blobs().size(), seenByStorage.size());
            seenByStorage.forEach(seen -> assertEquals("null", seen));
            assertTrue(blobsElsewhere.requests().stream().filter(r -> r.status() == 307).allMatch(RecordedRequest::hadAuthorization),
                    "the registry itself got its token: " + blobsElsewhere.requests());
        } finally {
            storage.stop(0);
        }
    }

    @Test
    void imagesPulledTogetherShareOneTokenFetchPerScope() throws Exception {
        int before = backendTokens.requests().size();
        try (RegistryTarget anonymous = new RegistryTarget(Settings.of(List.of(Settings.plain(front.hostPort()))))) {
            ImageReference reference = ImageReference.parse(front.hostPort() + "/pause:3.9");
            List<Thread> threads = new java.util.ArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 12; i++) {
                Thread thread = new Thread(() -> {
                    try {
                        anonymous.resolve(reference).orElseThrow();
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertEquals(List.of(), failures);
        }
        List<RecordedTokenRequest> mine = backendTokens.requests().subList(before, backendTokens.requests().size());
        assertEquals(1, mine.size(), "one fetch for the one scope: " + mine);
    }

    /** Resolves, reads every manifest and every blob, and checks what arrived. */
    static void pullWhole(RegistryTarget target, ImageReference reference) throws Exception {
        assertEquals(image.index.digest(), target.resolve(reference).orElseThrow().digest());
        for (TestImage.Child child : image.children) {
            Manifest manifest = target.fetchManifest(reference, child.manifest().digest());
            assertEquals(child.manifest().digest(), manifest.digest());
            for (TestImage.Blob blob : child.blobs()) {
                try (InputStream in = target.openBlob(reference, blob.descriptor())) {
                    assertEquals(blob.descriptor().digest(), TestImage.sha256(in));
                }
            }
        }
    }

    /** What each server saw from one test on. */
    record Log(PrefixRedirector front, FaultProxy backendLog, int frontFrom, int backendFrom, int tokensFrom, int issuedFrom) {

        static Log start(PrefixRedirector front, FaultProxy backendLog) {
            return new Log(front, backendLog, front.requests().size(), backendLog.requests().size(), backendTokens.requests().size(),
                    backendTokens.issuedTokens().size());
        }

        /** @param targetUser the user configured for the target's host, or null when none is */
        void assertInvariants(String targetUser) {
            List<RecordedRequest> atFront = front.requests().subList(frontFrom, front.requests().size());
            List<RecordedRequest> atBackend = backendLog.requests().subList(backendFrom, backendLog.requests().size());
            List<RecordedTokenRequest> atTokens = backendTokens.requests().subList(tokensFrom, backendTokens.requests().size());
            Set<String> issued = Set.copyOf(backendTokens.issuedTokens().subList(issuedFrom, backendTokens.issuedTokens().size()));

            assertFalse(atFront.isEmpty());
            atFront.forEach(r -> assertNull(r.authorization(), "the redirector never challenges, so it gets nothing: " + r));
            assertTrue(atBackend.stream().allMatch(r -> r.path().startsWith("/v2/" + PREFIX + "/pause/")), atBackend.toString());
            assertTrue(atBackend.stream().anyMatch(RecordedRequest::hadAuthorization));
            for (RecordedRequest r : atBackend) {
                if (r.hadAuthorization()) {
                    assertTrue(r.authorization().startsWith("Bearer ") && issued.contains(r.authorization().substring(7)),
                            "only tokens its own realm issued reach the target: " + r);
                }
            }
            assertFalse(atTokens.isEmpty());
            for (RecordedTokenRequest r : atTokens) {
                assertEquals(targetUser, r.user(), "only the target's own credentials reach its token service: " + r);
                assertEquals(List.of(BACKEND_SCOPE), r.scopes(), "the challenge's scope, not the original path's: " + r);
            }
        }
    }
}
