package io.camelbitrix24.crm.spi;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Where the OAuth token pair lives. Bitrix24 spends a refresh token when it is used and answers a new one, so a store
 * that persists {@link #save(Bitrix24Tokens)} lets an integration survive restarts past the access token's hour. Bind
 * an implementation in the registry and set it as the {@code tokenStore} option.
 */
public interface Bitrix24TokenStore {

    /** The tokens saved last, or null to start from the configured {@code accessToken}/{@code refreshToken}. */
    Bitrix24Tokens load();

    /** Called with the new pair after every refresh, before the new access token is used. */
    void save(Bitrix24Tokens tokens);

    /**
     * Runs {@code refresh}, the refresh of the pair whose refresh token is {@code spentRefreshToken} (it saves the new
     * pair before it completes), and answers the new pair. A store shared by several instances runs it in one of them
     * at a time and lets the others answer the pair it saved, since Bitrix24 refuses a refresh token used twice. The
     * default runs it here: one instance.
     */
    default CompletableFuture<Bitrix24Tokens> refreshOnce(String spentRefreshToken,
                                                          Supplier<CompletableFuture<Bitrix24Tokens>> refresh) {
        return refresh.get();
    }
}
