package io.camelbitrix24.crm.internal.http;

import java.io.IOException;

/** The proxy answered the CONNECT that opens a tunnel to the portal with something else than 2xx: nothing was sent. */
public final class ProxyRefusedException extends IOException {

    private final int status;

    public ProxyRefusedException(HttpProxy proxy, int status, String reasonPhrase) {
        super("the proxy " + proxy.hostName() + ":" + proxy.port() + " answered CONNECT with HTTP " + status
              + (reasonPhrase != null && !reasonPhrase.isBlank() ? " " + reasonPhrase : ""));
        this.status = status;
    }

    public int status() {
        return status;
    }
}
