package io.camelbitrix24.crm.spi;

/**
 * Whose calls a {@link Bitrix24Limiter} paces: the portal ({@code https://acme.bitrix24.com}), whose request bucket
 * every caller behind one address shares, and the caller whose operating time a method spends ({@code webhook:1}, a
 * webhook's user id; {@code app:local.123}, an application's client id). Never a webhook code or a token.
 */
public record Bitrix24LimiterKey(String portal, String caller) {

    @Override
    public String toString() {
        return portal + " " + caller;
    }
}
