package io.camelbitrix24.crm;

import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.apache.hc.core5.concurrent.ComplexFuture;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ConnectionReuseStrategy;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.config.CharCodingConfig;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.DefaultConnectionReuseStrategy;
import org.apache.hc.core5.http.impl.bootstrap.HttpAsyncRequester;
import org.apache.hc.core5.http.impl.nio.ClientHttp1IOEventHandlerFactory;
import org.apache.hc.core5.http.impl.nio.ClientHttp1StreamDuplexerFactory;
import org.apache.hc.core5.http.message.BasicHttpRequest;
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
import org.apache.hc.core5.pool.LaxConnPool;
import org.apache.hc.core5.reactor.Command;
import org.apache.hc.core5.reactor.EndpointParameters;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.reactor.ssl.TransportSecurityLayer;
import org.apache.hc.core5.util.Timeout;

/**
 * HttpCore's HTTP/1.1 requester, reaching the portal through an HTTP proxy when one is set. HttpCore has no HTTP proxy
 * support of its own (HttpClient has, but logs request lines, which carry the webhook code), so this is the one place
 * that knows about it: connections are pooled per portal as before, but open to the proxy; an HTTPS portal is reached
 * through a CONNECT tunnel, with the TLS handshake made with the portal inside it; a plain http portal gets requests in
 * absolute form (see {@link HttpTransport}).
 */
final class ProxyingRequester extends HttpAsyncRequester {

    /**
     * A 2xx answer to CONNECT leaves a tunnel open even from a proxy that answers HTTP/1.0 without keep-alive (many do),
     * which the default strategy would close.
     */
    private static final ConnectionReuseStrategy KEEP_TUNNELS = (request, response, context) ->
            request != null && Method.CONNECT.isSame(request.getMethod()) && response.getCode() / 100 == 2
            || DefaultConnectionReuseStrategy.INSTANCE.keepAlive(request, response, context);

    private final HttpProxy proxy;
    private final TlsStrategy tlsStrategy;
    private final Timeout handshakeTimeout;

    private ProxyingRequester(IOReactorConfig reactorConfig, ClientHttp1IOEventHandlerFactory handlers,
                              LaxConnPool<HttpHost, IOSession> pool, TlsStrategy tlsStrategy,
                              Timeout handshakeTimeout, HttpProxy proxy) {
        super(reactorConfig, handlers, null, null, null, pool, tlsStrategy, handshakeTimeout);
        this.proxy = proxy;
        this.tlsStrategy = tlsStrategy;
        this.handshakeTimeout = handshakeTimeout;
    }

    /**
     * What {@code AsyncRequesterBootstrap} builds with a lax pool of {@code maxConnections} per portal, plus the proxy
     * ({@code null}: direct connections).
     */
    static ProxyingRequester create(IOReactorConfig reactorConfig, HttpProcessor httpProcessor, TlsStrategy tlsStrategy,
                                    Timeout handshakeTimeout, int maxConnections, HttpProxy proxy) {
        ClientHttp1StreamDuplexerFactory duplexers = new ClientHttp1StreamDuplexerFactory(httpProcessor,
                Http1Config.DEFAULT, CharCodingConfig.DEFAULT, KEEP_TUNNELS, null, null, null);
        return new ProxyingRequester(reactorConfig,
                new ClientHttp1IOEventHandlerFactory(duplexers, tlsStrategy, handshakeTimeout),
                new LaxConnPool<>(maxConnections, null, null, new DefaultDisposalCallback<>(), null),
                tlsStrategy, handshakeTimeout, proxy);
    }

    /** A new connection for the pool's route {@code host}: to the portal directly, or through the proxy. */
    @Override
    public Future<IOSession> requestSession(HttpHost host, Timeout timeout, Object attachment,
                                            FutureCallback<IOSession> callback) {
        if (proxy == null) {
            return super.requestSession(host, timeout, attachment, callback);
        }
        ComplexFuture<IOSession> result = new ComplexFuture<>(callback);
        HttpHost proxyHost = proxy.host();
        // plain http to the proxy: no TLS is started on connect
        Future<IOSession> connecting = super.requestSession(proxyHost, timeout, new EndpointParameters(proxyHost, null),
                new FutureCallback<>() {
                    @Override
                    public void completed(IOSession session) {
                        if (URIScheme.HTTPS.same(host.getSchemeName())) {
                            Object handshake = attachment instanceof EndpointParameters p ? p.getAttachment() : null;
                            tunnel(session, host, handshake, result);
                        } else {
                            handOver(session, result);
                        }
                    }

                    @Override
                    public void failed(Exception ex) {
                        result.failed(ex);
                    }

                    @Override
                    public void cancelled() {
                        result.cancel();
                    }
                });
        result.setDependency(connecting);
        return result;
    }

    /** CONNECT to the portal through the proxy, then the TLS handshake with the portal inside the tunnel. */
    private void tunnel(IOSession session, HttpHost portal, Object handshake, ComplexFuture<IOSession> result) {
        // a route has no port when the URL names none; CONNECT needs host:port
        String target = new HttpHost(portal.getSchemeName(), portal.getHostName(),
                portal.getPort() >= 0 ? portal.getPort() : 443).toHostString();
        BasicHttpRequest connect = new BasicHttpRequest(Method.CONNECT, portal, target);
        String authorization = proxy.authorization();
        if (authorization != null) {
            connect.addHeader(HttpHeaders.PROXY_AUTHORIZATION, authorization);
        }
        FutureCallback<Message<HttpResponse, Void>> answered = orClose(session, result, answer -> {
            HttpResponse response = answer.getHead();
            if (response.getCode() / 100 != 2) {
                session.close(CloseMode.IMMEDIATE);
                result.failed(new ProxyRefusedException(proxy, response.getCode(), response.getReasonPhrase()));
                return;
            }
            try {
                tlsStrategy.upgrade((TransportSecurityLayer) session, portal, handshake, handshakeTimeout,
                        orClose(session, result, secured -> handOver(session, result)));
            } catch (RuntimeException e) {
                // the exchange handler counts as done by now: a failure here would reach no callback
                session.close(CloseMode.IMMEDIATE);
                result.failed(e);
            }
        });
        session.enqueue(new RequestExecutionCommand(new BasicClientExchangeHandler<>(
                new BasicRequestProducer(connect, null), new BasicResponseConsumer<>(new DiscardingEntityConsumer<>()),
                answered), HttpCoreContext.create()), Command.Priority.NORMAL);
    }

    /** Gives the ready connection to the pool, or closes it if the connect was cancelled meanwhile. */
    private static void handOver(IOSession session, ComplexFuture<IOSession> result) {
        if (!result.completed(session)) {
            session.close(CloseMode.IMMEDIATE);
        }
    }

    /** A callback that goes on with {@code next}, or closes the half-made connection and fails {@code result}. */
    private static <T> FutureCallback<T> orClose(IOSession session, ComplexFuture<IOSession> result, Consumer<T> next) {
        return new FutureCallback<>() {
            @Override
            public void completed(T value) {
                next.accept(value);
            }

            @Override
            public void failed(Exception ex) {
                session.close(CloseMode.IMMEDIATE);
                result.failed(ex);
            }

            @Override
            public void cancelled() {
                session.close(CloseMode.IMMEDIATE);
                result.cancel();
            }
        };
    }
}
