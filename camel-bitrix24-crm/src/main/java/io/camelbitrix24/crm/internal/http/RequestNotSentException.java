package io.camelbitrix24.crm.internal.http;

import java.io.IOException;

/**
 * A call that failed before its request left: its transport closed while it waited, or its connection, TLS handshake
 * or turn in the rate limiter failed. The portal cannot have seen it.
 */
public final class RequestNotSentException extends IOException {

    public RequestNotSentException() {
        super("the HTTP transport closed before the call was sent");
    }

    public RequestNotSentException(Throwable cause) {
        super("the call failed before it was sent", cause);
    }
}
