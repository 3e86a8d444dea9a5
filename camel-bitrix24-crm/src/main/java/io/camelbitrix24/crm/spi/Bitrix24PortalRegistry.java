package io.camelbitrix24.crm.spi;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Where the installations of a Bitrix24 application live, for a component that serves many portals (configured with
 * {@code clientId} and {@code clientSecret}, without {@code webhookUrl} or {@code portalUrl}): each installation by its
 * {@code member_id}, with its portal's REST address and its OAuth tokens. The component reads an installation when a
 * call names its portal (header {@code CamelBitrix24CrmPortal}) and holds no copy of it younger than 5 seconds, on
 * threads of its own, never a route's (so a blocking implementation is fine; a read that takes over 5 seconds fails
 * the calls waiting for it), and saves it after every token refresh, before the new access token is used, since
 * Bitrix24 spends a refresh token when it is used. A removal or refusal written by another instance stops this one's
 * calls within those 5 seconds. Bind an implementation and set it as the
 * {@code portalRegistry} option; the default keeps installations in memory, so they are lost on a restart.
 */
public interface Bitrix24PortalRegistry {

    /** The installation of {@code memberId}, or null when the application is not installed there. */
    Bitrix24Installation find(String memberId);

    /** Adds or replaces the installation of its {@code member_id}. */
    void save(Bitrix24Installation installation);

    /** Forgets the installation of {@code memberId}; nothing happens when there is none. */
    void remove(String memberId);

    /**
     * Runs {@code refresh}, the refresh of {@code memberId}'s tokens whose refresh token is {@code spentRefreshToken}
     * (it saves the new pair through {@link #save} before it completes), and answers the new pair. A registry shared
     * by several instances runs one refresh per installation at a time (a lock, say) and lets the others answer the
     * pair it saved, since Bitrix24 refuses a refresh token used twice. The default runs it here: one instance.
     */
    default CompletableFuture<Bitrix24Tokens> refreshOnce(String memberId, String spentRefreshToken,
                                                          Supplier<CompletableFuture<Bitrix24Tokens>> refresh) {
        return refresh.get();
    }
}
