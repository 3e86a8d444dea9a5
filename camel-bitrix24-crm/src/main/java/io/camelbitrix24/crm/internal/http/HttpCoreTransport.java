package io.camelbitrix24.crm.internal.http;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.camelbitrix24.crm.internal.http.PortalConnections.Connection;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.pool.PoolStats;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP side: a pooled, non-blocking HTTP/1.1 requester from Apache HttpComponents 5 (the stack Camel HTTP brings),
 * with HttpClient 5's TLS strategy (certificate and host name checks). It is built on HttpCore's requester rather than
 * the full HttpClient because HttpClient logs request lines and bodies at DEBUG, and a Bitrix24 request line carries the
 * webhook code and its body the OAuth token; HttpCore logs nothing. Through a proxy when one is set
 * ({@link PortalConnections}).
 */
final class HttpCoreTransport implements HttpTransport {

    /**
     * Connections leased at once, new ones opening among them (six, as browsers open to one host). A cold burst would
     * otherwise open one connection per call, and their TLS handshakes, all on the one I/O thread, would hold up the
     * answers of the calls already sent; a few at a time, the first calls go sooner and later ones reuse connections.
     * Measured in the peer benchmark's cold burst (61 calls, 2 cores): 1.025x the floor, against 1.04x to 1.05x when
     * every call opened its own.
     */
    private static final int MAX_CONNECTING = 6;

    private final PortalConnections connections;
    private final Timeout ioTimeout;
    // calls holding or getting a connection, at most maxConnections per portal and maxTotalConnections in all; the
    // rest wait in arrival order
    private final PortalLines calls;
    // connections being leased, new ones handshaking among them
    private final AdmissionQueue leases = new AdmissionQueue(MAX_CONNECTING);
    // calls between their start and their request leaving (connecting, handshaking, waiting for their turn)
    private final Set<CompletableFuture<RawResponse>> unsent = ConcurrentHashMap.newKeySet();
    // connections being prepared, by portal
    private final Map<HttpHost, CompletableFuture<Void>> preparing = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private final long callDeadlineNanos;
    private final int maxResponseSize;
    private final HttpProxy proxy;

    HttpCoreTransport(HttpSettings settings) {
        this.maxResponseSize = settings.maxResponseSize();
        this.ioTimeout = Timeout.ofMilliseconds(settings.responseTimeoutMillis());
        this.calls = new PortalLines(settings.maxConnections(), settings.maxTotalConnections());
        this.callDeadlineNanos = ((long) settings.connectTimeoutMillis() + settings.responseTimeoutMillis()) * 1_000_000L;
        this.proxy = settings.proxy();
        this.connections = PortalConnectionsFactory.create(settings, ioTimeout);
        connections.start();
    }

    /**
     * The turn is taken with the connection in hand, its TLS handshake done, so calls reach the server as far apart as
     * their turns were, however long each connection took to open.
     */
    @Override
    public CompletableFuture<RawResponse> postJson(URI route, Supplier<JsonPost> post,
                                                   Supplier<? extends CompletableFuture<?>> turn) {
        HttpHost host = route(request("POST", route));
        return execute(host, () -> {
            JsonPost made = post.get();
            HttpRequest request = request("POST", made.uri());
            if (!host.equals(route(request))) {
                throw new IllegalArgumentException("a request made for another host than its route's");
            }
            return new BasicRequestProducer(request, AsyncEntityProducers.create(made.body(), ContentType.APPLICATION_JSON));
        }, turn, false);
    }

    @Override
    public CompletableFuture<Void> prepare(URI uri) {
        HttpRequest request = request("POST", uri);
        // what the first call makes on its way, made once now: its classes load here, not on the call's clock
        new BasicRequestProducer(request, AsyncEntityProducers.create(new byte[0], ContentType.APPLICATION_JSON))
                .releaseResources();
        new CappedResponseConsumer(maxResponseSize, System.nanoTime()).releaseResources();
        // once per portal is the caller's decision; a closed transport fails the lease
        CompletableFuture<Void> prepared = new CompletableFuture<>();
        HttpHost host = route(request);
        preparing.put(host, prepared);
        lease(host).whenComplete((connection, error) -> {
            // out of the map first: a call waiting for it then finds the connection in the pool
            preparing.remove(host, prepared);
            if (error != null) {
                prepared.completeExceptionally(error);
            } else {
                connection.release(true);
                prepared.complete(null);
            }
        });
        return prepared;
    }

    @Override
    public CompletableFuture<RawResponse> getFirst(URI uri) {
        HttpRequest request = request("GET", uri);
        return execute(route(request), () -> new BasicRequestProducer(request, (AsyncEntityProducer) null),
                () -> CompletableFuture.completedFuture(null), true);
    }

    private HttpRequest request(String method, URI uri) {
        BasicHttpRequest request = new BasicHttpRequest(method, uri);
        request.addHeader("Accept", "application/json");
        if (proxy != null && "http".equalsIgnoreCase(uri.getScheme())) {
            // a plain http portal is reached by asking the proxy for the whole URI; HTTPS goes through a tunnel
            request.setAbsoluteRequestUri(true);
            if (proxy.authorization() != null) {
                request.addHeader(HttpHeaders.PROXY_AUTHORIZATION, proxy.authorization());
            }
        }
        return request;
    }

    /**
     * Sends now if a connection is free, else queues the request in its portal's line, in arrival order. An async Camel
     * consumer (SEDA, JMS) can put thousands of exchanges in flight at once: they wait here, without a timeout, rather
     * than in the pool, where a wait longer than the connect timeout would fail calls that were never sent. Each portal
     * has its own line, so one portal's backlog never holds another's places. {@code first} puts the request ahead of
     * every queued one.
     */
    private CompletableFuture<RawResponse> execute(HttpHost host, Supplier<BasicRequestProducer> request,
                                                   Supplier<? extends CompletableFuture<?>> turn, boolean first) {
        CompletableFuture<RawResponse> result = new CompletableFuture<>();
        calls.submit(host, done -> send(host, request, turn, result, done), first);
        return result;
    }

    private void send(HttpHost host, Supplier<BasicRequestProducer> request, Supplier<? extends CompletableFuture<?>> turn,
                      CompletableFuture<RawResponse> result, Runnable done) {
        unsent.add(result);
        result.whenComplete((response, error) -> {
            unsent.remove(result);
            done.run();
        });
        if (closed) {
            result.completeExceptionally(new RequestNotSentException());
            return;
        }
        // a connection being prepared for this portal is the first call's: wait for it rather than open another
        preparing.getOrDefault(host, CompletableFuture.completedFuture(null)).handle((prepared, error) -> null)
                .thenCompose(ready -> lease(host))
                .thenCompose(endpoint -> {
                    if (closed || result.isDone()) {
                        // no turn in the limiter for a call that will not be sent: a shared limiter would count it
                        endpoint.release(true);
                        throw new CompletionException(new RequestNotSentException());
                    }
                    return inTurn(endpoint, turn);
                })
                // a connection held through a long turn may have been closed meanwhile: take another
                .thenCompose(endpoint -> {
                    if (endpoint.isOpen()) {
                        return CompletableFuture.completedFuture(endpoint);
                    }
                    endpoint.release(false);
                    return lease(host);
                })
                .whenComplete((endpoint, error) -> {
                    unsent.remove(result);
                    if (error != null) {
                        result.completeExceptionally(new RequestNotSentException(
                                error instanceof CompletionException && error.getCause() != null ? error.getCause() : error));
                    } else if (result.isDone()) {
                        // the transport closed meanwhile
                        endpoint.release(false);
                    } else {
                        exchange(endpoint, request, result);
                    }
                });
    }

    /** The pool's key for a request's connections: its scheme, host and port, as the prepared connection's too. */
    private static HttpHost route(HttpRequest request) {
        return new HttpHost(request.getScheme(), request.getAuthority());
    }

    /** The connection, once the call's turn has come; given back to the pool if the turn fails. */
    private static CompletableFuture<Connection> inTurn(Connection endpoint,
                                                                 Supplier<? extends CompletableFuture<?>> turn) {
        CompletableFuture<?> ready;
        try {
            ready = turn.get();
        } catch (RuntimeException e) {
            ready = CompletableFuture.failedFuture(e);
        }
        return ready.handle((done, error) -> {
            if (error != null) {
                endpoint.release(true);
                throw error instanceof CompletionException ce ? ce : new CompletionException(error);
            }
            return endpoint;
        });
    }

    /** A connection to {@code host}, pooled or new, once it can carry a request (its TLS handshake done). */
    private CompletableFuture<Connection> lease(HttpHost host) {
        CompletableFuture<Connection> leased = new CompletableFuture<>();
        leases.submit(() -> {
            leased.whenComplete((connection, error) -> leases.done());
            if (closed) {
                leased.completeExceptionally(new RequestNotSentException());
                return;
            }
            try {
                connections.lease(host, ioTimeout).whenComplete((connection, error) -> {
                    if (error != null) {
                        leased.completeExceptionally(error);
                    } else if (!leased.complete(connection)) {
                        connection.release(false);
                    }
                });
            } catch (RuntimeException e) {
                leased.completeExceptionally(e);
            }
        }, false);
        return leased;
    }

    private void exchange(Connection endpoint, Supplier<BasicRequestProducer> request, CompletableFuture<RawResponse> result) {
        // the whole answer is bounded by the deadline, counted from the moment the request leaves
        long deadline = System.nanoTime() + callDeadlineNanos;
        try {
            endpoint.execute(request.get(),
                    new CappedResponseConsumer(maxResponseSize, deadline), new FutureCallback<>() {
                        @Override
                        public void completed(RawResponse response) {
                            endpoint.release(true);
                            result.complete(response);
                        }

                        @Override
                        public void failed(Exception ex) {
                            endpoint.release(false);
                            result.completeExceptionally(ex);
                        }

                        @Override
                        public void cancelled() {
                            endpoint.release(false);
                            result.completeExceptionally(new TimeoutException("call cancelled"));
                        }
                    });
        } catch (RuntimeException e) {
            endpoint.release(false);
            result.completeExceptionally(e);
        }
    }

    @Override
    public int busyConnections() {
        PoolStats pool = connections.stats();
        return pool.getLeased() + pool.getPending() + calls.waitingCount();
    }

    @Override
    public int openConnections() {
        PoolStats pool = connections.stats();
        return pool.getLeased() + pool.getAvailable();
    }

    @Override
    public void closeIdle(long idleMillis) {
        connections.closeIdle(TimeValue.ofMilliseconds(idleMillis));
    }

    @Override
    public void close() {
        // endpoints stop after Camel has let in-flight exchanges finish: what is left are idle connections, and calls
        // that a closing reactor might never answer
        closed = true;
        calls.close();
        leases.close();
        connections.close();
        unsent.forEach(call -> call.completeExceptionally(new RequestNotSentException()));
    }
}
