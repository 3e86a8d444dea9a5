package io.camelbitrix24.crm.internal.http;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The way to Bitrix24 portals over HTTP: what the rest of the component knows of HTTP. A call that fails before its
 * request left fails with {@link RequestNotSentException}; an answer past the cap with {@link ResponseTooLargeException};
 * any other failure may have followed the request.
 */
public interface HttpTransport extends AutoCloseable {

    /** A started transport with these settings. */
    static HttpTransport create(HttpSettings settings) {
        return new HttpCoreTransport(settings);
    }

    /**
     * POSTs JSON to {@code route}'s host once a connection is ready (its TLS handshake done) and {@code turn} has
     * completed, so calls reach the server as far apart as their turns were. The request is made when it leaves, its
     * URI on {@code route}'s scheme, host and port: an OAuth call then carries the access token current at that
     * moment, and calls that waited together can leave as one.
     */
    CompletableFuture<RawResponse> postJson(URI route, Supplier<JsonPost> post, Supplier<? extends CompletableFuture<?>> turn);

    /**
     * Opens a connection to {@code uri}'s host, TLS handshake done, and leaves it in the pool for the first call,
     * sending no request; loads the classes a call goes through on the way. Fails as a call would fail to connect.
     */
    CompletableFuture<Void> prepare(URI uri);

    /** GETs ahead of every queued call: the OAuth refresh that queued calls may be waiting for. */
    CompletableFuture<RawResponse> getFirst(URI uri);

    /** Connections lent to calls now, and calls waiting for one: both 0 when nothing is in flight. */
    int busyConnections();

    /** Connections open now, lent to calls or idle in the pool: never more than {@code maxTotalConnections}. */
    int openConnections();

    /**
     * Closes the connections idle for {@code idleMillis} or longer, and forgets the portals left without one: a
     * portal called once leaves nothing behind.
     */
    void closeIdle(long idleMillis);

    /** Closes every connection; calls not yet sent fail with {@link RequestNotSentException}. */
    @Override
    void close();
}
