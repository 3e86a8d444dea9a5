package io.camelbitrix24.crm.internal.send;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelbitrix24.crm.internal.auth.OAuthSession;
import io.camelbitrix24.crm.internal.call.Call;
import io.camelbitrix24.crm.internal.call.ErrorMapper;
import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.internal.call.FailureKind;
import io.camelbitrix24.crm.internal.call.Futures;
import io.camelbitrix24.crm.internal.call.Response;
import io.camelbitrix24.crm.internal.call.ResponseParser;
import io.camelbitrix24.crm.internal.call.TransportFailures;
import io.camelbitrix24.crm.internal.call.Urls;
import io.camelbitrix24.crm.internal.http.HttpTransport;
import io.camelbitrix24.crm.internal.http.JsonPost;
import io.camelbitrix24.crm.internal.http.RawResponse;
import io.camelbitrix24.crm.internal.http.RequestNotSentException;

/**
 * Sends one attempt of a call: waits for the portal's rate limiter, picks the URL and auth (webhook path, or OAuth
 * {@code auth} field), sends, reads the answer, and refreshes an expired OAuth token on the way. Answers a future that
 * fails with a {@link Failure}; tells the limiter what the portal said of its limits. Whether to try again,
 * and what an answer means for a delete, is decided elsewhere ({@link RetryPolicy}, {@link CallRunner}).
 */
public final class Client {

    private static final int MAX_REFRESHES_PER_CALL = 3;

    private final HttpTransport transport;
    private final ObjectMapper mapper;
    private final ResponseParser parser;
    private final OAuthSession oauth;
    private final Pacing pacing;
    private final PortalActivity activity;
    // where calls go; replaced only when the OAuth server names another address for the installation
    private volatile Destination destination;

    /** A REST base, its route (the portal's scheme, host and port: where the connection goes) and its method URIs. */
    private record Destination(String restBase, URI route, Map<String, URI> methodUris) {

        Destination(String restBase) {
            this(restBase, URI.create(restBase), new ConcurrentHashMap<>());
        }

        URI methodUri(String method) {
            return methodUris.computeIfAbsent(method, m -> URI.create(restBase + m));
        }
    }

    /** A client for webhook auth ({@code oauth} null, {@code restBase} the webhook URL) or OAuth ({@code {portal}/rest/}). */
    public Client(HttpTransport transport, ObjectMapper mapper, String restBase, OAuthSession oauth,
                   Pacing pacing, PortalActivity activity) {
        this.transport = transport;
        this.mapper = mapper;
        this.parser = new ResponseParser(mapper);
        this.destination = new Destination(Urls.withSlash(restBase));
        this.oauth = oauth;
        this.pacing = pacing;
        this.activity = activity;
        if (oauth != null) {
            oauth.onRefreshed(activity::refreshed);
        }
    }

    Pacing pacing() {
        return pacing;
    }

    PortalActivity activity() {
        return activity;
    }

    /**
     * Where calls go: the configured address, or an installation's portal where the OAuth server last said it is. Made
     * anew only when that address changes, so a call parses no URI.
     */
    private Destination destination() {
        Destination current = destination;
        String learned = oauth == null ? null : oauth.clientEndpoint();
        if (learned == null || learned.equals(current.restBase())) {
            return current;
        }
        Destination moved = new Destination(learned);
        destination = moved;
        return moved;
    }

    /**
     * Prepares the way to the portal without calling it: a connection with its TLS handshake done left in the pool,
     * and the parsing of an answer and of an error run once, so the first call pays for neither.
     */
    public CompletableFuture<Void> prepare() {
        RawResponse answer = new RawResponse(200, "application/json",
                "{\"result\":true,\"time\":{\"operating\":0,\"operating_reset_at\":0}}".getBytes(StandardCharsets.UTF_8));
        RawResponse error = new RawResponse(400, "application/json",
                "{\"error\":\"NOT_FOUND\",\"error_description\":\"\"}".getBytes(StandardCharsets.UTF_8));
        json(mapper.createObjectNode().put("id", 1));
        parser.parse("crm.lead.delete", "preparing", answer);
        try {
            parser.parse("crm.lead.delete", "preparing", error);
        } catch (Failure expected) {
            // the error path, loaded
        }
        return transport.prepare(destination.route());
    }

    /** One attempt, each request in its turn in the rate limiter. */
    public CompletableFuture<Response> send(Call call) {
        return sendMadeAtTurn(call.method(), () -> call);
    }

    /**
     * One attempt of a call made when its turn comes, taking its turn as {@code turnMethod}'s: calls that waited
     * together leave as one ({@link Coalescer}). A call sent again after a token refresh is the one made first.
     */
    CompletableFuture<Response> sendMadeAtTurn(String turnMethod, Supplier<Call> make) {
        CallMadeAtTurn made = new CallMadeAtTurn(make);
        return (oauth == null ? send(made, turnMethod, Call::params) : sendWithToken(made, turnMethod, 0))
                .whenComplete((response, error) -> {
                    if (error == null) {
                        noteAnswer(made.made(), response);
                    } else if (Futures.unwrap(error) instanceof Failure failure) {
                        noteFailure(failure.getMethod(), failure);
                    }
                });
    }

    /**
     * A failed call or batch command: told to the limiter, counted when it is a refusal for the portal's limits, and
     * the portal's last failure unless it is a not-found (an outcome, not a fault).
     */
    private void noteFailure(String method, Failure failure) {
        pacing.noteRefusal(method, failure);
        if (Pacing.isLimitRefusal(failure)) {
            activity.refused(failure.getErrorCode());
        }
        if (!failure.is(FailureKind.NOT_FOUND)) {
            activity.failed(failure);
        }
    }

    /**
     * Tells the limiter what an answer said of the portal's limits: the one place it is told. A batch's commands are
     * each an answer of their own: an operating-time refusal of one holds its method, as for a single call.
     */
    private void noteAnswer(Call call, Response response) {
        pacing.noteAnswer(response.method(), response.operatingResetAt());
        List<Call> commands = call == null ? List.of() : call.commands();
        for (int i = 0; i < commands.size(); i++) {
            Call command = commands.get(i);
            ResponseParser.BatchCommand part = ResponseParser.batchCommand(response.result(), i, command.method(),
                    command.describe());
            if (part.answer() != null) {
                pacing.noteAnswer(command.method(), part.answer().operatingResetAt());
            } else {
                noteFailure(command.method(), part.failure());
            }
        }
    }

    /**
     * With OAuth, the token is read when the request leaves, and a token refused as expired is refreshed (a token that
     * aged past its lifetime while the call waited may be refreshed again, a few times at most).
     */
    private CompletableFuture<Response> sendWithToken(CallMadeAtTurn call, String turnMethod, int refreshes) {
        AtomicReference<String> sentToken = new AtomicReference<>();
        Function<Call, ObjectNode> withCurrentToken = made -> {
            String token = oauth.accessToken();
            sentToken.set(token);
            return withAuth(made.params(), token);
        };
        Destination sentTo = destination();
        return send(call, turnMethod, withCurrentToken).exceptionallyCompose(error -> {
            Throwable cause = Futures.unwrap(error);
            if (cause instanceof Failure auth && ErrorMapper.isExpiredToken(auth)
                    && oauth.canRefresh() && refreshes < MAX_REFRESHES_PER_CALL
                    && (refreshes == 0 || oauth.mayHaveExpired(sentToken.get()))) {
                return oauth.refreshAfter(sentToken.get(), auth.getMethod())
                        .thenCompose(tokens -> sendWithToken(call, turnMethod, refreshes + 1));
            }
            if (cause instanceof Failure failure && ErrorMapper.isRedirect(failure)
                    && oauth.clientEndpoint() != null && oauth.canRefresh() && refreshes < MAX_REFRESHES_PER_CALL) {
                // the portal's address may have changed: the OAuth server's refresh answer names its address now;
                // the call goes there only if that is another address, never where the redirect points
                return oauth.refreshAfter(sentToken.get(), failure.getMethod()).thenCompose(tokens ->
                        destination().restBase().equals(sentTo.restBase()) ? CompletableFuture.failedFuture(cause)
                                : sendWithToken(call, turnMethod, refreshes + 1));
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    private CompletableFuture<Response> send(CallMadeAtTurn call, String turnMethod,
                                                     Function<Call, ObjectNode> params) {
        // the turn is taken by the transport once a connection is ready, so a slow new connection cannot bunch calls
        long askedNanos = System.nanoTime();
        AtomicLong turnNanos = new AtomicLong();
        // the calls the request carries once it has left: its commands for a batch call, else 1; 0 before it leaves
        AtomicInteger carried = new AtomicInteger();
        Destination to = destination();
        return transport.postJson(to.route(), () -> {
            Call made = call.get();
            int calls = made.commands().isEmpty() ? 1 : made.commands().size();
            if (carried.compareAndSet(0, calls)) {
                activity.sent(pacing.key(), made.method(), PortalActivity.RequestKind.of(made), calls,
                        turnNanos.get() - askedNanos);
            }
            return new JsonPost(to.methodUri(made.method()), json(params.apply(made)));
        }, () -> unlessUninstalled(pacing.acquire(turnMethod).thenAccept(turnNanos::set), turnMethod))
                .handle((raw, error) -> {
                    int calls = carried.get();
                    if (calls > 0) {
                        activity.answered(calls);
                    }
                    Call made = call.made();
                    String method = made == null ? turnMethod : made.method();
                    if (error != null && Futures.unwrap(error) instanceof RequestNotSentException notSent
                        && notSent.getCause() instanceof Failure refused) {
                        throw refused;
                    }
                    if (error != null) {
                        throw TransportFailures.of(method, made == null ? method : made.describe(),
                                Futures.unwrap(error));
                    }
                    pacing.noteAnswered(turnNanos.get());
                    return parser.parse(method, made.describe(), raw);
                });
    }

    /**
     * The call's turn, unless the application is uninstalled from the portal first: then the call fails at once, before
     * its turn, with nothing sent.
     */
    private CompletableFuture<Void> unlessUninstalled(CompletableFuture<Void> turn, String method) {
        if (oauth == null || !oauth.isInstallation()) {
            // only an installation (many-portal mode) is uninstalled
            return turn;
        }
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Runnable refuse = () -> ready.completeExceptionally(Failure.authentication("The application was "
                + oauth.revokedAs() + " while " + method + " waited to be sent; nothing was sent", method, null, false));
        Runnable forget = oauth.whileWaiting(refuse);
        turn.whenComplete((done, error) -> {
            forget.run();
            if (error != null) {
                ready.completeExceptionally(error);
            } else if (oauth.isUninstalled()) {
                refuse.run();
            } else {
                ready.complete(null);
            }
        });
        return ready;
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

}
