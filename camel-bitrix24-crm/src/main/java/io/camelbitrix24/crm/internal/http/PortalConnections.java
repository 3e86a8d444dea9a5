package io.camelbitrix24.crm.internal.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ConnectionReuseStrategy;
import org.apache.hc.core5.http.HttpConnection;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.impl.DefaultConnectionReuseStrategy;
import org.apache.hc.core5.http.impl.bootstrap.AsyncRequesterBootstrap;
import org.apache.hc.core5.http.impl.bootstrap.HttpAsyncRequester;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.command.RequestExecutionCommand;
import org.apache.hc.core5.http.nio.entity.DiscardingEntityConsumer;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.http.nio.support.BasicClientExchangeHandler;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.nio.support.BasicResponseConsumer;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.http.protocol.HttpProcessor;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.DefaultDisposalCallback;
import org.apache.hc.core5.pool.PoolEntry;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.pool.PoolStats;
import org.apache.hc.core5.pool.StrictConnPool;
import org.apache.hc.core5.reactor.Command;
import org.apache.hc.core5.reactor.EndpointParameters;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.reactor.ssl.TransportSecurityLayer;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Connections to portals, pooled per portal, handed out once they can carry a request (TLS handshake done), directly or
 * through an HTTP proxy: an HTTPS portal through a CONNECT tunnel with the TLS handshake made with the portal inside
 * it, a plain http one by requests in absolute form (see {@link HttpCoreTransport}). HttpCore has no HTTP proxy
 * support of its own (HttpClient has, but logs request lines, which carry the webhook code), so the pool is kept here,
 * where the proxy is known.
 * <p>
 * Made by composition of what HttpCore 5.3 and 5.4 both have: the requester from its bootstrap (used for its I/O
 * reactor: {@code requestSession} opens a connection and starts TLS for an https route), a {@link StrictConnPool}, and
 * requests queued on a connection as commands. The strict pool caps connections overall as well as per portal: at the
 * cap it closes the longest idle connection of another portal to open one, and it forgets a portal once its last
 * connection is closed, so thousands of portals called once each leave nothing behind.
 */
final class PortalConnections implements AutoCloseable {

    /**
     * A 2xx answer to CONNECT leaves a tunnel open even from a proxy that answers HTTP/1.0 without keep-alive (many do),
     * which the default strategy would close.
     */
    private static final ConnectionReuseStrategy KEEP_TUNNELS = (request, response, context) ->
            request != null && Method.CONNECT.isSame(request.getMethod()) && response.getCode() / 100 == 2
            || DefaultConnectionReuseStrategy.INSTANCE.keepAlive(request, response, context);

    private final HttpAsyncRequester reactor;
    private final StrictConnPool<HttpHost, IOSession> pool;
    private final TlsStrategy tlsStrategy;
    private final Timeout handshakeTimeout;
    private final HttpProxy proxy;

    /** {@code proxy}: null for direct connections. */
    PortalConnections(IOReactorConfig reactorConfig, HttpProcessor httpProcessor, TlsStrategy tlsStrategy,
                      Timeout handshakeTimeout, int maxConnections, int maxTotalConnections, HttpProxy proxy) {
        this.reactor = AsyncRequesterBootstrap.bootstrap()
                .setIOReactorConfig(reactorConfig)
                .setHttpProcessor(httpProcessor)
                .setConnectionReuseStrategy(KEEP_TUNNELS)
                .setTlsStrategy(tlsStrategy)
                .setTlsHandshakeTimeout(handshakeTimeout)
                .create();
        this.pool = new StrictConnPool<>(maxConnections, maxTotalConnections, TimeValue.NEG_ONE_MILLISECOND,
                PoolReusePolicy.LIFO, new DefaultDisposalCallback<>(), null);
        this.tlsStrategy = tlsStrategy;
        this.handshakeTimeout = handshakeTimeout;
        this.proxy = proxy;
    }

    void start() {
        reactor.start();
    }

    /**
     * A connection to {@code portal}, pooled or new, once it can carry a request. {@code timeout}: for connecting, then
     * for each wait for bytes on the new connection (the TLS handshake has its own).
     */
    CompletableFuture<Connection> lease(HttpHost portal, Timeout timeout) {
        CompletableFuture<Connection> leased = new CompletableFuture<>();
        pool.lease(portal, null, timeout, Callbacks.of(leased, entry -> {
            Connection connection = new Connection(entry, timeout);
            IOSession pooled = entry.getConnection();
            if (pooled != null && !usable(pooled)) {
                entry.discardConnection(CloseMode.IMMEDIATE);
            }
            if (entry.hasConnection()) {
                leased.complete(connection);
                return;
            }
            CompletableFuture<IOSession> opened;
            try {
                opened = open(portal, timeout);
            } catch (RuntimeException e) {
                // the reactor shut down meanwhile
                opened = CompletableFuture.failedFuture(e);
            }
            opened.whenComplete((session, error) -> {
                if (error != null) {
                    connection.release(false);
                    leased.completeExceptionally(error);
                } else {
                    session.setSocketTimeout(timeout);
                    entry.assignConnection(session);
                    if (!leased.complete(connection)) {
                        connection.release(false);
                    }
                }
            });
        }));
        return leased;
    }

    /** A new connection to {@code portal}, directly or through the proxy, once its TLS handshake is done. */
    private CompletableFuture<IOSession> open(HttpHost portal, Timeout timeout) {
        CompletableFuture<IOSession> ready = new CompletableFuture<>();
        if (proxy == null) {
            // for an https route, HttpCore starts TLS as the connection opens and reports it before the handshake ends
            HandshakeSignallingTlsStrategy.Handshake handshake = new HandshakeSignallingTlsStrategy.Handshake();
            reactor.requestSession(portal, timeout, new EndpointParameters(portal, handshake), Callbacks.of(ready,
                    session -> handshake.ready().whenComplete((done, error) -> {
                        if (error != null) {
                            session.close(CloseMode.IMMEDIATE);
                            ready.completeExceptionally(error);
                        } else {
                            handOver(session, ready);
                        }
                    })));
            return ready;
        }
        HttpHost proxyHost = proxy.host();
        // plain http to the proxy: no TLS is started on connect
        reactor.requestSession(proxyHost, timeout, new EndpointParameters(proxyHost, null), Callbacks.of(ready, session -> {
            if (URIScheme.HTTPS.same(portal.getSchemeName())) {
                tunnel(session, portal, ready);
            } else {
                handOver(session, ready);
            }
        }));
        return ready;
    }

    /** CONNECT to the portal through the proxy, then the TLS handshake with the portal inside the tunnel. */
    private void tunnel(IOSession session, HttpHost portal, CompletableFuture<IOSession> ready) {
        // a route has no port when the URL names none; CONNECT needs host:port
        String target = new HttpHost(portal.getSchemeName(), portal.getHostName(),
                portal.getPort() >= 0 ? portal.getPort() : 443).toHostString();
        BasicHttpRequest connect = new BasicHttpRequest(Method.CONNECT, portal, target);
        String authorization = proxy.authorization();
        if (authorization != null) {
            connect.addHeader(HttpHeaders.PROXY_AUTHORIZATION, authorization);
        }
        FutureCallback<Message<HttpResponse, Void>> answered = Callbacks.orClose(session, ready, answer -> {
            HttpResponse response = answer.getHead();
            if (response.getCode() / 100 != 2) {
                session.close(CloseMode.IMMEDIATE);
                ready.completeExceptionally(new ProxyRefusedException(proxy, response.getCode(),
                        response.getReasonPhrase()));
                return;
            }
            try {
                tlsStrategy.upgrade((TransportSecurityLayer) session, portal, null, handshakeTimeout,
                        Callbacks.orClose(session, ready, secured -> handOver(session, ready)));
            } catch (RuntimeException e) {
                // the exchange handler counts as done by now: a failure here would reach no callback
                session.close(CloseMode.IMMEDIATE);
                ready.completeExceptionally(e);
            }
        });
        enqueue(session, new BasicRequestProducer(connect, null),
                new BasicResponseConsumer<>(new DiscardingEntityConsumer<>()), answered);
    }

    /** Queues a request on the connection; fails it at once if the connection is closed already. */
    private static <T> void enqueue(IOSession session, AsyncRequestProducer request, AsyncResponseConsumer<T> answer,
                                    FutureCallback<T> callback) {
        NotSentAwareExchange exchange = new NotSentAwareExchange(new BasicClientExchangeHandler<>(request, answer, callback));
        session.enqueue(new RequestExecutionCommand(exchange, HttpCoreContext.create()), Command.Priority.NORMAL);
        if (!session.isOpen()) {
            // a closed connection may never run the command
            try {
                exchange.failed(new ConnectionClosedException());
            } finally {
                exchange.releaseResources();
            }
        }
    }

    /** Open, and its HTTP connection too: not one shutting down while its socket is still open. */
    private static boolean usable(IOSession session) {
        return session.isOpen() && session.getHandler() instanceof HttpConnection http && http.isOpen();
    }

    /** Completes {@code ready}, or closes the connection if nobody waits for it any more. */
    private static void handOver(IOSession session, CompletableFuture<IOSession> ready) {
        if (!ready.complete(session)) {
            session.close(CloseMode.IMMEDIATE);
        }
    }


    /**
     * Closes the connections idle for {@code idle} or past their keep-alive, and forgets the portals left without one.
     */
    void closeIdle(TimeValue idle) {
        pool.closeExpired();
        pool.closeIdle(idle);
    }

    /** Connections lent out, connections idle in the pool, and leases waiting for one. */
    PoolStats stats() {
        return pool.getTotalStats();
    }

    @Override
    public void close() {
        pool.close(CloseMode.IMMEDIATE);
        reactor.close(CloseMode.IMMEDIATE);
    }

    /** A leased connection: carries one request at a time, then goes back to the pool, once. */
    final class Connection {
        private final PoolEntry<HttpHost, IOSession> entry;
        private final Timeout socketTimeout;
        private final AtomicBoolean released = new AtomicBoolean();

        private Connection(PoolEntry<HttpHost, IOSession> entry, Timeout socketTimeout) {
            this.entry = entry;
            this.socketTimeout = socketTimeout;
        }

        boolean isOpen() {
            IOSession session = entry.getConnection();
            return session != null && usable(session);
        }

        <T> void execute(AsyncRequestProducer request, AsyncResponseConsumer<T> answer, FutureCallback<T> callback) {
            enqueue(entry.getConnection(), request, answer, callback);
        }

        /** Back to the pool: kept for the next call if {@code reusable} and still open, else closed. */
        void release(boolean reusable) {
            if (released.compareAndSet(false, true)) {
                boolean keep = reusable && isOpen();
                if (!keep && entry.hasConnection()) {
                    entry.discardConnection(CloseMode.IMMEDIATE);
                } else if (keep) {
                    // the reactor times an idle connection out after the socket timeout, checking only now and then,
                    // and may fail a request just queued on it: the pool lets it go well before, at half that time
                    entry.updateExpiry(TimeValue.ofMilliseconds(Math.max(1, socketTimeout.toMilliseconds() / 2)));
                }
                pool.release(entry, keep);
            }
        }
    }
}
