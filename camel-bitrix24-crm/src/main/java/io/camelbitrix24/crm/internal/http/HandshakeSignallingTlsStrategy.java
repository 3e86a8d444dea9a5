package io.camelbitrix24.crm.internal.http;

import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.net.NamedEndpoint;
import org.apache.hc.core5.reactor.ssl.TransportSecurityLayer;
import org.apache.hc.core5.util.Timeout;

/**
 * HttpCore hands a new connection over once the socket is connected, with its TLS handshake still running. This
 * strategy tells the caller when the handshake is over: a {@link Handshake} given as the connect attachment is signalled
 * by the handshake's end, and marked as started, so that a pooled connection (no handshake) is known to be ready.
 */
final class HandshakeSignallingTlsStrategy implements TlsStrategy {

    /** The handshake of one connect request: ready at once unless a handshake was started for it. */
    static final class Handshake {
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        // set on the I/O thread before HttpCore reports the connection on that same thread
        private volatile boolean started;

        /** Completes when the connection can carry a request; fails with the handshake's failure. */
        CompletableFuture<Void> ready() {
            return started ? done : CompletableFuture.completedFuture(null);
        }
    }

    private final TlsStrategy delegate;

    HandshakeSignallingTlsStrategy(TlsStrategy delegate) {
        this.delegate = delegate;
    }

    @Override
    public void upgrade(TransportSecurityLayer sessionLayer, NamedEndpoint endpoint, Object attachment,
                        Timeout handshakeTimeout, FutureCallback<TransportSecurityLayer> callback) {
        if (!(attachment instanceof Handshake handshake)) {
            delegate.upgrade(sessionLayer, endpoint, attachment, handshakeTimeout, callback);
            return;
        }
        handshake.started = true;
        delegate.upgrade(sessionLayer, endpoint, null, handshakeTimeout, new FutureCallback<>() {
            @Override
            public void completed(TransportSecurityLayer result) {
                handshake.done.complete(null);
                if (callback != null) {
                    callback.completed(result);
                }
            }

            @Override
            public void failed(Exception ex) {
                handshake.done.completeExceptionally(ex);
                if (callback != null) {
                    callback.failed(ex);
                }
            }

            @Override
            public void cancelled() {
                handshake.done.completeExceptionally(new javax.net.ssl.SSLException("TLS handshake cancelled"));
                if (callback != null) {
                    callback.cancelled();
                }
            }
        });
    }

    @Deprecated
    @Override
    public boolean upgrade(TransportSecurityLayer sessionLayer, HttpHost host, SocketAddress localAddress,
                           SocketAddress remoteAddress, Object attachment, Timeout handshakeTimeout) {
        return delegate.upgrade(sessionLayer, host, localAddress, remoteAddress, attachment, handshakeTimeout);
    }
}
