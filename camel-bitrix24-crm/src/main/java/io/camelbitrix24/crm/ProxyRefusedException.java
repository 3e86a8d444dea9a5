package io.camelbitrix24.crm;

import java.io.IOException;

/** The proxy answered the CONNECT that opens a tunnel to the portal with something else than 2xx: nothing was sent. */
final class ProxyRefusedException extends IOException {

    private final int status;

    ProxyRefusedException(HttpProxy proxy, int status, String reasonPhrase) {
        super("the proxy " + proxy.hostName() + ":" + proxy.port() + " answered CONNECT with HTTP " + status
              + (reasonPhrase != null && !reasonPhrase.isBlank() ? " " + reasonPhrase : ""));
        this.status = status;
    }

    int status() {
        return status;
    }
}
