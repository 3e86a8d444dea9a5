package io.camelbitrix24.crm.internal.auth;

import io.camelbitrix24.crm.spi.Bitrix24Installation;
import io.camelbitrix24.crm.spi.Bitrix24TokenStore;
import io.camelbitrix24.crm.spi.Bitrix24Tokens;

/**
 * An installation's token store: its tokens, and its portal's REST address, which the OAuth server's refresh
 * answers name ({@code client_endpoint}) and which changes when the portal's address does.
 */
public interface InstallationTokenStore extends Bitrix24TokenStore {

    /** The installation's member_id: a refresh answer naming another is not about it. */
    String memberId();

    /** The installation as stored, tokens and address read at once; null once it is gone. */
    Bitrix24Installation installation();

    /** Whether {@code clientEndpoint} may be called with the installation's tokens (its scheme and shape). */
    boolean accepts(String clientEndpoint);

    /** Saves a new pair and the portal's address that came with it. */
    void save(Bitrix24Tokens tokens, String clientEndpoint);
}
