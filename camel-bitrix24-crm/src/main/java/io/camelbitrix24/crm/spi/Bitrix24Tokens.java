package io.camelbitrix24.crm.spi;

import java.util.Objects;

/** An OAuth token pair. {@link #toString()} never shows the tokens. */
public final class Bitrix24Tokens {

    private final String accessToken;
    private final String refreshToken;

    public Bitrix24Tokens(String accessToken, String refreshToken) {
        this.accessToken = accessToken;
        this.refreshToken = refreshToken;
    }

    public String getAccessToken() {
        return accessToken;
    }

    public String getRefreshToken() {
        return refreshToken;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bitrix24Tokens t && Objects.equals(accessToken, t.accessToken)
                && Objects.equals(refreshToken, t.refreshToken);
    }

    @Override
    public int hashCode() {
        return Objects.hash(accessToken, refreshToken);
    }

    @Override
    public String toString() {
        return "Bitrix24Tokens[accessToken=xxxxxx, refreshToken=xxxxxx]";
    }
}
