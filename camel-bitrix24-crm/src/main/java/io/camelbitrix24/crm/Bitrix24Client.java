package io.camelbitrix24.crm;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelbitrix24.crm.internal.HttpTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a Bitrix24 method: waits for the portal's rate limiter, picks the URL and auth (webhook path, or OAuth
 * {@code auth} field), sends, reads the answer, refreshes an expired OAuth token once, and retries retryable failures
 * by the retry policy. Answers a future that fails with a {@link Bitrix24Exception}.
 */
final class Bitrix24Client {

    private static final Logger LOG = LoggerFactory.getLogger(Bitrix24Client.class);

    private static final int MAX_REFRESHES_PER_CALL = 3;

    private final HttpTransport transport;
    private final ObjectMapper mapper;
    private final Bitrix24ResponseParser parser;
    private final String restBase;
    private final Bitrix24OAuthSession oauth;
    private final Bitrix24RateLimiter limiter;
    private final Bitrix24RetryPolicy retryPolicy;
    private final ScheduledExecutorService scheduler;
    private final Map<String, URI> methodUris = new ConcurrentHashMap<>();

    /** A client for webhook auth ({@code oauth} null, {@code restBase} the webhook URL) or OAuth ({@code {portal}/rest/}). */
    Bitrix24Client(HttpTransport transport, ObjectMapper mapper, String restBase, Bitrix24OAuthSession oauth,
                   Bitrix24RateLimiter limiter, Bitrix24RetryPolicy retryPolicy, ScheduledExecutorService scheduler) {
        this.transport = transport;
        this.mapper = mapper;
        this.parser = new Bitrix24ResponseParser(mapper);
        this.restBase = restBase.endsWith("/") ? restBase : restBase + "/";
        this.oauth = oauth;
        this.limiter = limiter;
        this.retryPolicy = retryPolicy;
        this.scheduler = scheduler;
    }

    CompletableFuture<Bitrix24Response> call(Bitrix24Call call) {
        CompletableFuture<Bitrix24Response> result = new CompletableFuture<>();
        attempt(call, 0, false, System.currentTimeMillis() + retryPolicy.timeoutMillis(), result);
        return result;
    }

    /**
     * One attempt; whatever goes wrong, even scheduling it, ends in {@code result}. {@code unknownBefore}: an earlier
     * attempt got no readable answer and may have done the work.
     */
    private void attempt(Bitrix24Call call, int retries, boolean unknownBefore, long deadlineMillis,
                         CompletableFuture<Bitrix24Response> result) {
        try {
            tryAttempt(call, retries, unknownBefore, deadlineMillis, result);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    private void tryAttempt(Bitrix24Call call, int retries, boolean unknownBefore, long deadlineMillis,
                            CompletableFuture<Bitrix24Response> result) {
        limiter.acquire(call.method())
                .thenCompose(ready -> callOnce(call))
                .whenComplete((response, error) -> {
                    if (error == null) {
                        limiter.noteOperatingResetAt(call.method(), response.operatingResetAt());
                        result.complete(unknownBefore ? response.withUnknownOutcomeBefore() : response);
                        return;
                    }
                    Throwable cause = unwrap(error);
                    if (lostAttemptDeleted(unknownBefore, cause, call.method())) {
                        LOG.debug("{}: not found on retry; the attempt whose answer was lost deleted it", call.method());
                        result.complete(Bitrix24Response.deletedByLostAttempt(call.method()));
                        return;
                    }
                    boolean unknown = unknownBefore || cause instanceof Bitrix24Exception e && e.isOutcomeUnknown();
                    long delay = retryDelay(call.method(), cause, retries + 1, unknown, deadlineMillis);
                    if (delay < 0) {
                        result.completeExceptionally(finalFailure(call.method(), cause, unknownBefore));
                        return;
                    }
                    LOG.debug("{} failed ({}); retry {} in {} ms", call.method(), cause.getMessage(), retries + 1, delay);
                    try {
                        scheduler.schedule(() -> attempt(call, retries + 1, unknown, deadlineMillis, result), delay,
                                TimeUnit.MILLISECONDS);
                    } catch (RuntimeException e) {
                        // shutting down: the failure stands
                        result.completeExceptionally(finalFailure(call.method(), cause, unknownBefore));
                    }
                });
    }

    /**
     * True when {@code failure} is a not-found for a record delete that came after an attempt whose answer was lost:
     * that attempt deleted the record. Not for unbinding, whose not-found is about the lead, which no attempt deletes.
     */
    static boolean lostAttemptDeleted(boolean afterUnknownOutcome, Throwable failure, String method) {
        return afterUnknownOutcome && failure instanceof Bitrix24NotFoundException
               && Bitrix24RequestBuilder.deletesRecord(method);
    }

    /** The failure a call ends with: said to be of unknown outcome when an attempt before it lost its answer. */
    private static Throwable finalFailure(String method, Throwable cause, boolean unknownBefore) {
        // a not-found left is about the lead of an unbinding, which no attempt deletes
        if (unknownBefore && cause instanceof Bitrix24Exception failure && !failure.isOutcomeUnknown()
                && !(failure instanceof Bitrix24NotFoundException)) {
            return Bitrix24ErrorMapper.afterUnknownOutcome(method, failure);
        }
        return cause;
    }

    /**
     * The pause before retry number {@code retry}, or -1 when the failure is final. Once an attempt's outcome is unknown,
     * retries go on past {@code maxRetries} (unless it is 0) until an answer settles it or the retry timeout ends them:
     * giving up then would leave the caller not knowing whether the record is gone.
     */
    private long retryDelay(String method, Throwable cause, int retry, boolean unknown, long deadlineMillis) {
        if (!(cause instanceof Bitrix24Exception failure) || !failure.isRetryable()) {
            return -1;
        }
        int maxRetries = retryPolicy.maxRetries();
        if (retry > maxRetries && !(unknown && maxRetries > 0)) {
            return -1;
        }
        long delay = retryPolicy.backoffMillis(retry);
        String code = failure.getErrorCode() == null ? "" : failure.getErrorCode();
        if ("OPERATION_TIME_LIMIT".equalsIgnoreCase(code)) {
            long hold = limiter.onOperatingTimeLimit(method);
            delay = hold > 0 ? hold : delay;
        } else if ("QUERY_LIMIT_EXCEEDED".equalsIgnoreCase(code)) {
            limiter.onRateLimited();
            // the limiter now paces the retry; without it, back off
            delay = limiter.isEnabled() ? 0 : delay;
        }
        return System.currentTimeMillis() + delay > deadlineMillis ? -1 : delay;
    }

    /**
     * One call; with OAuth, the token is read when the request leaves, and a token refused as expired is refreshed
     * (a token that aged past its lifetime while the call waited may be refreshed again, a few times at most).
     */
    private CompletableFuture<Bitrix24Response> callOnce(Bitrix24Call call) {
        return oauth == null ? send(call.method(), call::params) : sendWithToken(call, 0);
    }

    private CompletableFuture<Bitrix24Response> sendWithToken(Bitrix24Call call, int refreshes) {
        AtomicReference<String> sentToken = new AtomicReference<>();
        Supplier<ObjectNode> withCurrentToken = () -> {
            String token = oauth.accessToken();
            sentToken.set(token);
            return withAuth(call.params(), token);
        };
        return send(call.method(), withCurrentToken).exceptionallyCompose(error -> {
            Throwable cause = unwrap(error);
            if (cause instanceof Bitrix24AuthenticationException auth && Bitrix24ErrorMapper.isExpiredToken(auth)
                    && oauth.canRefresh() && refreshes < MAX_REFRESHES_PER_CALL
                    && (refreshes == 0 || oauth.mayHaveExpired(sentToken.get()))) {
                return oauth.refreshAfter(sentToken.get(), call.method())
                        .thenCompose(tokens -> sendWithToken(call, refreshes + 1));
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    private CompletableFuture<Bitrix24Response> send(String method, Supplier<ObjectNode> params) {
        return transport.postJson(methodUris.computeIfAbsent(method, m -> URI.create(restBase + m)), () -> json(params.get()))
                .handle((raw, error) -> {
                    if (error != null) {
                        throw Bitrix24ErrorMapper.fromTransportFailure(method, unwrap(error));
                    }
                    return parser.parse(method, raw);
                });
    }

    private byte[] json(ObjectNode params) {
        try {
            return mapper.writeValueAsBytes(params);
        } catch (JsonProcessingException e) {
            // a tree of numbers and strings always serializes
            throw new IllegalStateException("cannot write the request body", e);
        }
    }

    private static ObjectNode withAuth(ObjectNode params, String token) {
        ObjectNode copy = params.deepCopy();
        copy.put("auth", token);
        return copy;
    }

    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
