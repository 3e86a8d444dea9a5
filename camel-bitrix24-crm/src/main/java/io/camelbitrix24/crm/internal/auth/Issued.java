package io.camelbitrix24.crm.internal.auth;

import io.camelbitrix24.crm.spi.Bitrix24Tokens;

/**
 * A token pair, when it was received and how long the OAuth server said its access token lives (0 when not known:
 * configured or stored tokens), with the installation and portal address the answer named.
 */
record Issued(Bitrix24Tokens tokens, long receivedAtMillis, long lifetimeMillis, String memberId, String clientEndpoint) {

    Issued(Bitrix24Tokens tokens) {
        this(tokens, 0, 0, null, null);
    }
}
