package io.camelbitrix24.crm.internal;

import java.net.URI;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

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
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Deque<Runnable> waiting = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;
    private final long callDeadlineNanos;
    private final int maxResponseSize;

    public HttpTransport(Settings settings) {
        this.maxResponseSize = settings.maxResponseSize();
        this.ioTimeout = Timeout.ofMilliseconds(settings.responseTimeoutMillis());
        this.maxInFlight = settings.maxConnections();
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

    /**
     * POSTs a JSON body, made when the request leaves rather than when it is queued: an OAuth call then carries the
     * access token that is current at that moment, not one that aged while the call waited for a connection.
     */
    public CompletableFuture<RawResponse> postJson(URI uri, Supplier<byte[]> json) {
        return execute(request("POST", uri), () -> AsyncEntityProducers.create(json.get(), ContentType.APPLICATION_JSON),
                false);
    }

    /** GETs ahead of every queued call: used for the OAuth refresh that the queued calls may be waiting for. */
    public CompletableFuture<RawResponse> getFirst(URI uri) {
        return execute(request("GET", uri), () -> null, true);
    }

    private static HttpRequest request(String method, URI uri) {
        BasicHttpRequest request = new BasicHttpRequest(method, uri);
        request.addHeader("Accept", "application/json");
        return request;
    }

    /**
     * Sends now if a connection is free, else queues the request in arrival order. An async Camel consumer (SEDA, JMS)
     * can put thousands of exchanges in flight at once: they wait here, without a timeout, rather than in the pool, where
     * a wait longer than the connect timeout would fail calls that were never sent. {@code first} puts the request
     * ahead of every queued one.
     */
    private CompletableFuture<RawResponse> execute(HttpRequest request, Supplier<AsyncEntityProducer> entity,
                                                   boolean first) {
        CompletableFuture<RawResponse> result = new CompletableFuture<>();
        Runnable task = () -> send(request, entity, result);
        if (first) {
            waiting.addFirst(task);
        } else {
            waiting.addLast(task);
        }
        if (closed) {
            failWaiting();
        }
        sendWaiting();
        return result;
    }

    private void sendWaiting() {
        while (!closed) {
            int running = inFlight.get();
            if (running >= maxInFlight || waiting.isEmpty()) {
                return;
            }
            if (!inFlight.compareAndSet(running, running + 1)) {
                continue;
            }
            Runnable next = waiting.poll();
            if (next == null) {
                inFlight.decrementAndGet();
                continue;
            }
            next.run();
        }
    }

    private void send(HttpRequest request, Supplier<AsyncEntityProducer> entity, CompletableFuture<RawResponse> result) {
        result.whenComplete((response, error) -> {
            inFlight.decrementAndGet();
            sendWaiting();
        });
        if (closed) {
            result.completeExceptionally(new TransportClosedException());
            return;
        }
        // HttpCore gives a new connection this timeout for connecting and then for each wait for bytes (the TLS
        // handshake has its own); the whole answer is bounded by the deadline
        long deadline = System.nanoTime() + callDeadlineNanos;
        try {
            requester.execute(new BasicRequestProducer(request, entity.get()),
                    new CappedResponseConsumer(maxResponseSize, deadline), ioTimeout, new FutureCallback<>() {
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
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    private void failWaiting() {
        for (Runnable next = waiting.poll(); next != null; next = waiting.poll()) {
            inFlight.incrementAndGet();
            next.run();
        }
    }

    /** Connections lent to calls now, and calls waiting for one: both 0 when nothing is in flight. */
    public int busyConnections() {
        return requester.getTotalStats().getLeased() + requester.getTotalStats().getPending() + waiting.size();
    }

    @Override
    public void close() {
        // endpoints stop after Camel has let in-flight exchanges finish: what is left are idle connections
        closed = true;
        failWaiting();
        requester.close(CloseMode.IMMEDIATE);
    }
}
