package io.camelbitrix24.crm.internal.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpResponse;

/**
 * Collects an answer's body in memory, failing as soon as it exceeds the cap (so a runaway answer cannot fill the heap)
 * or outlasts the call's deadline (so a trickling one cannot hold the call forever).
 */
final class CappedResponseConsumer extends AbstractBinResponseConsumer<RawResponse> {

    private final int maxBytes;
    private final long deadlineNanos;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(256);
    private int status;
    private String contentType;

    /** {@code deadlineNanos}: the {@link System#nanoTime()} by which the whole answer must be in. */
    CappedResponseConsumer(int maxBytes, long deadlineNanos) {
        this.maxBytes = maxBytes;
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    protected void start(HttpResponse response, ContentType contentType) {
        this.status = response.getCode();
        this.contentType = contentType == null ? null : contentType.toString();
    }

    @Override
    protected int capacityIncrement() {
        return 8192;
    }

    @Override
    protected void data(ByteBuffer src, boolean endOfStream) throws IOException {
        // an answer that trickles in: each read is within the socket timeout, the whole is not within the deadline
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new java.net.SocketTimeoutException("the answer did not complete within the deadline");
        }
        if (body.size() + src.remaining() > maxBytes) {
            throw new ResponseTooLargeException(maxBytes);
        }
        if (src.hasArray()) {
            body.write(src.array(), src.arrayOffset() + src.position(), src.remaining());
            src.position(src.limit());
        } else {
            while (src.hasRemaining()) {
                body.write(src.get());
            }
        }
    }

    @Override
    protected RawResponse buildResult() {
        return new RawResponse(status, contentType, body.toByteArray());
    }

    @Override
    public void releaseResources() {
        // the body is kept by the result; nothing else to free
    }
}
