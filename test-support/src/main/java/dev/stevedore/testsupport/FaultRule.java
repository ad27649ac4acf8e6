package dev.stevedore.testsupport;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** One scripted fault: which requests it matches, how often it fires, and what it does. */
final class FaultRule implements FaultProxy.Fault {
    enum Kind { RESPOND, RESET, TRUNCATE, STALL, FLIP, DELAY, REDIRECT }

    private final String method;
    private final Pattern path;
    private final Consumer<FaultRule> registry;
    private final AtomicInteger remaining = new AtomicInteger(1);
    private Kind kind;
    private int status;
    private Map<String, String> headers = Map.of();
    private String body = "";
    private long bytes;
    private Duration duration = Duration.ZERO;
    private URI target;
    private boolean inRequest;
    private long bodyOver = -1;

    FaultRule(String method, String pathRegex, Consumer<FaultRule> registry) {
        this.method = method;
        this.path = Pattern.compile(pathRegex);
        this.registry = registry;
    }

    @Override
    public FaultProxy.Fault times(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a fault fires at least once: " + n);
        }
        remaining.set(n);
        return this;
    }

    @Override
    public FaultProxy.Fault always() {
        remaining.set(Integer.MAX_VALUE);
        return this;
    }

    @Override
    public FaultProxy.Fault whenRequestBodyOver(long n) {
        bodyOver = n;
        return this;
    }

    @Override
    public FaultProxy.Fault inRequestBody() {
        inRequest = true;
        return this;
    }

    @Override
    public void respond(int status, Map<String, String> headers, String body) {
        this.status = status;
        this.headers = new LinkedHashMap<>(headers);
        this.body = body == null ? "" : body;
        register(Kind.RESPOND);
    }

    @Override
    public void resetAfterBodyBytes(long n) {
        this.bytes = n;
        register(Kind.RESET);
    }

    @Override
    public void truncateBodyAfter(long n) {
        this.bytes = n;
        register(Kind.TRUNCATE);
    }

    @Override
    public void stallBodyAfter(long n, Duration stall) {
        this.bytes = n;
        this.duration = stall;
        register(Kind.STALL);
    }

    @Override
    public void flipByteAt(long offset) {
        this.bytes = offset;
        register(Kind.FLIP);
    }

    @Override
    public void delay(Duration delay) {
        this.duration = delay;
        register(Kind.DELAY);
    }

    @Override
    public void redirectTo(URI otherOrigin) {
        this.target = otherOrigin;
        register(Kind.REDIRECT);
    }

    private void register(Kind scripted) {
        if (kind != null) {
            throw new IllegalStateException("one action per fault; call on(...) again for another");
        }
        kind = scripted;
        registry.accept(this);
    }

    /** True if this fault matches and still had a firing left, which it has now used up. */
    /** @param requestBody the request's declared body length: 0 for none, {@code Long.MAX_VALUE} for chunked */
    boolean claim(String requestMethod, String requestPath, long requestBody) {
        if (!(method.equals("*") || method.equalsIgnoreCase(requestMethod)) || !path.matcher(requestPath).matches()
                || requestBody <= bodyOver) {
            return false;
        }
        return remaining.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0;
    }

    /** Whether a body fault applies to the request body rather than the response body. */
    boolean inRequest() {
        return inRequest;
    }

    Kind kind() {
        return kind;
    }

    int status() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }

    String body() {
        return body;
    }

    long bytes() {
        return bytes;
    }

    Duration duration() {
        return duration;
    }

    URI target() {
        return target;
    }
}
