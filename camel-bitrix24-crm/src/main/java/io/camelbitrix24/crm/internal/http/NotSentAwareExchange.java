package io.camelbitrix24.crm.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * An exchange queued on a connection that tells a failure before its request started from one after: HttpCore
 * fails or cancels a queued command whose connection closed or timed out before running it, and such a request never
 * left. That failure reaches the caller as {@link RequestNotSentException}; any later one as it came.
 */
final class NotSentAwareExchange implements AsyncClientExchangeHandler {

    private final AsyncClientExchangeHandler exchange;
    private final AtomicBoolean started = new AtomicBoolean();

    NotSentAwareExchange(AsyncClientExchangeHandler exchange) {
        this.exchange = exchange;
    }

    @Override
    public void produceRequest(RequestChannel channel, HttpContext context) throws HttpException, IOException {
        started.set(true);
        exchange.produceRequest(channel, context);
    }

    @Override
    public void failed(Exception cause) {
        exchange.failed(started.get() ? cause : new RequestNotSentException(cause));
    }

    @Override
    public void cancel() {
        if (started.get()) {
            exchange.cancel();
        } else {
            exchange.failed(new RequestNotSentException());
        }
    }

    @Override
    public int available() {
        return exchange.available();
    }

    @Override
    public void produce(DataStreamChannel channel) throws IOException {
        exchange.produce(channel);
    }

    @Override
    public void consumeInformation(HttpResponse response, HttpContext context) throws HttpException, IOException {
        exchange.consumeInformation(response, context);
    }

    @Override
    public void consumeResponse(HttpResponse response, EntityDetails entityDetails, HttpContext context)
            throws HttpException, IOException {
        exchange.consumeResponse(response, entityDetails, context);
    }

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
        exchange.updateCapacity(capacityChannel);
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
        exchange.consume(src);
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
        exchange.streamEnd(trailers);
    }

    @Override
    public void releaseResources() {
        exchange.releaseResources();
    }
}
