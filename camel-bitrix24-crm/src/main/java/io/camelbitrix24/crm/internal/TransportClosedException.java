package io.camelbitrix24.crm.internal;

import java.io.IOException;

/** A call that was still waiting for a connection when its transport closed: it was never sent. */
public final class TransportClosedException extends IOException {

    public TransportClosedException() {
        super("the HTTP transport closed before the call was sent");
    }
}
