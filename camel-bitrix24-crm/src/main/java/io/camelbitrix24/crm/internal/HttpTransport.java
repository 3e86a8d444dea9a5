package io.camelbitrix24.crm.internal;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP side: one pooled, non-blocking Apache HttpClient 5 client (the stack Camel HTTP brings). Sends JSON POSTs and
 * plain GETs and completes a future with the size-capped answer; never blocks the caller.
 */
public final class HttpTransport implements AutoCloseable {

    /** Connection and answer limits of one transport. */
    public record Settings(SSLContext sslContext, int connectTimeoutMillis, int responseTimeoutMillis, int maxResponseSize,
                           String userAgent, int maxConnections) {
    }

    private final CloseableHttpAsyncClient client;
    private final int maxResponseSize;

    public HttpTransport(Settings settings) {
        this.maxResponseSize = settings.maxResponseSize();
        PoolingAsyncClientConnectionManager connections = PoolingAsyncClientConnectionManagerBuilder.create()
                .setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(settings.sslContext()).buildAsync())
                .setMaxConnTotal(settings.maxConnections())
                .setMaxConnPerRoute(settings.maxConnections())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofMilliseconds(settings.connectTimeoutMillis()))
                        .setSocketTimeout(Timeout.ofMilliseconds(settings.responseTimeoutMillis()))
                        .build())
                .build();
        this.client = HttpAsyncClients.custom()
                .setConnectionManager(connections)
                .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(1).build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.ofMilliseconds(settings.responseTimeoutMillis()))
                        .build())
                .setUserAgent(settings.userAgent())
                .disableCookieManagement()
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .build();
        client.start();
    }

    /** POSTs a JSON body. */
    public CompletableFuture<RawResponse> postJson(URI uri, byte[] json) {
        return execute(SimpleRequestBuilder.post(uri)
                .setBody(json, ContentType.APPLICATION_JSON)
                .addHeader("Accept", "application/json")
                .build());
    }

    public CompletableFuture<RawResponse> get(URI uri) {
        return execute(SimpleRequestBuilder.get(uri).addHeader("Accept", "application/json").build());
    }

    private CompletableFuture<RawResponse> execute(org.apache.hc.client5.http.async.methods.SimpleHttpRequest request) {
        CompletableFuture<RawResponse> result = new CompletableFuture<>();
        client.execute(SimpleRequestProducer.create(request), new CappedResponseConsumer(maxResponseSize),
                new FutureCallback<>() {
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
                        result.cancel(false);
                    }
                });
        return result;
    }

    @Override
    public void close() {
        client.close(CloseMode.GRACEFUL);
        try {
            client.awaitShutdown(org.apache.hc.core5.util.TimeValue.of(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
