package io.camelbitrix24.crm.internal.auth;

import io.camelbitrix24.crm.spi.Bitrix24TokenStore;
import io.camelbitrix24.crm.spi.Bitrix24Tokens;

/** The default token store: keeps the latest pair in memory, so a restart starts again from the configured tokens. */
public class InMemoryTokenStore implements Bitrix24TokenStore {

    private volatile Bitrix24Tokens tokens;

    @Override
    public Bitrix24Tokens load() {
        return tokens;
    }

    @Override
    public void save(Bitrix24Tokens tokens) {
        this.tokens = tokens;
    }
}
