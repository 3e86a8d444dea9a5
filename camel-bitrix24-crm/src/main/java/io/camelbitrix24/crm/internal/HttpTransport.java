package io.camelbitrix24.crm.internal;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;

import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.impl.bootstrap.AsyncRequesterBootstrap;
import org.apache.hc.core5.http.impl.bootstrap.HttpAsyncRequester;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.protocol.HttpProcessorBuilder;
import org.apache.hc.core5.http.protocol.RequestConnControl;
import org.apache.hc.core5.http.protocol.RequestContent;
import org.apache.hc.core5.http.protocol.RequestTargetHost;
import org.apache.hc.core5.http.protocol.RequestUserAgent;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP side: a pooled, non-blocking HTTP/1.1 requester from Apache HttpComponents 5 (the stack Camel HTTP brings),
 * with HttpClient 5's TLS strategy (certificate and host name checks). It is built on HttpCore's requester rather than
 * the full HttpClient because HttpClient logs request lines and bodies at DEBUG, and a Bitrix24 request line carries the
 * webhook code and its body the OAuth token; HttpCore logs nothing.
 */
public final class HttpTransport implements AutoCloseable {

    /** Connection and answer limits of one transport. */
    public record Settings(SSLContext sslContext, int connectTimeoutMillis, int responseTimeoutMillis, int maxResponseSize,
                           String userAgent, int maxConnections) {
    }

    private final HttpAsyncRequester requester;
    private final Timeout ioTimeout;
    private final long callDeadlineNanos;
    private final int maxResponseSize;

    public HttpTransport(Settings settings) {
        this.maxResponseSize = settings.maxResponseSize();
        this.ioTimeout = Timeout.ofMilliseconds(settings.responseTimeoutMillis());
        this.callDeadlineNanos = ((long) settings.connectTimeoutMillis() + settings.responseTimeoutMillis()) * 1_000_000L;
        this.requester = AsyncRequesterBootstrap.bootstrap()
                .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(1).setSoTimeout(ioTimeout)
                        // the reactor checks timeouts once per select interval (1 s by default): a tenth of the
                        // response timeout keeps a short timeout close to what was asked
                        .setSelectInterval(TimeValue.ofMilliseconds(
                                Math.max(10, Math.min(1000, settings.responseTimeoutMillis() / 10))))
                        .build())
                .setHttpProcessor(HttpProcessorBuilder.create()
                        // no Expect: 100-continue, which would cost every call an extra round trip
                        .addAll(new RequestContent(), new RequestTargetHost(), new RequestConnControl(),
                                new RequestUserAgent(settings.userAgent()))
                        .build())
                .setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(settings.sslContext()).buildAsync())
                .setTlsHandshakeTimeout(Timeout.ofMilliseconds(settings.connectTimeoutMillis()))
                .setMaxTotal(settings.maxConnections())
                .setDefaultMaxPerRoute(settings.maxConnections())
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                .create();
        requester.start();
    }

    /** POSTs a JSON body. */
    public CompletableFuture<RawResponse> postJson(URI uri, byte[] json) {
        return execute(request("POST", uri), AsyncEntityProducers.create(json, ContentType.APPLICATION_JSON));
    }

    public CompletableFuture<RawResponse> get(URI uri) {
        return execute(request("GET", uri), null);
    }

    private static HttpRequest request(String method, URI uri) {
        BasicHttpRequest request = new BasicHttpRequest(method, uri);
        request.addHeader("Accept", "application/json");
        return request;
    }

    private CompletableFuture<RawResponse> execute(HttpRequest request, AsyncEntityProducer entity) {
        CompletableFuture<RawResponse> result = new CompletableFuture<>();
        // connecting and each wait for bytes are bounded by the I/O timeout; the whole answer by the deadline
        long deadline = System.nanoTime() + callDeadlineNanos;
        requester.execute(new BasicRequestProducer(request, entity), new CappedResponseConsumer(maxResponseSize, deadline),
                ioTimeout, new FutureCallback<>() {
                    @Override
                    public void completed(RawResponse response) {
                        result.complete(response);
                    }

                    @Override
                    public void failed(Exception ex) {
                        result.completeExceptionally(ex);
                    }

                    @Override
                    public void cancelled() {
                        result.completeExceptionally(new TimeoutException("call cancelled"));
                    }
                });
        return result;
    }

    @Override
    public void close() {
        // endpoints stop after Camel has let in-flight exchanges finish: what is left are idle connections
        requester.close(CloseMode.IMMEDIATE);
    }
}
