package io.camelbitrix24.crm;

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
}
