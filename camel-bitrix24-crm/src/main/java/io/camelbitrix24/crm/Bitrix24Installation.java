package io.camelbitrix24.crm;

import java.util.Objects;

/**
 * One installation of the application on a portal: its {@code member_id} (which stays when the portal's address
 * changes), the portal's REST address ({@code client_endpoint}), the OAuth tokens, the {@code application_token} that
 * later events of the portal must carry, and, once Bitrix24 refused the application there for good
 * ({@code invalid_grant}, {@code invalid_client}, {@code PAYMENT_REQUIRED}), why. {@link #toString()} never shows a
 * token.
 */
public final class Bitrix24Installation {

    private final String memberId;
    private final String clientEndpoint;
    private final Bitrix24Tokens tokens;
    private final String applicationToken;
    private final String refusal;

    public Bitrix24Installation(String memberId, String clientEndpoint, Bitrix24Tokens tokens, String applicationToken,
                                String refusal) {
        this.memberId = Objects.requireNonNull(memberId, "memberId");
        this.clientEndpoint = Objects.requireNonNull(clientEndpoint, "clientEndpoint");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.applicationToken = applicationToken;
        this.refusal = refusal;
    }

    public String getMemberId() {
        return memberId;
    }

    /** The portal's REST address, {@code https://{portal}/rest/}. */
    public String getClientEndpoint() {
        return clientEndpoint;
    }

    public Bitrix24Tokens getTokens() {
        return tokens;
    }

    public String getApplicationToken() {
        return applicationToken;
    }

    /** Why Bitrix24 refused the application on this portal for good (an OAuth error code), or null. */
    public String getRefusal() {
        return refusal;
    }

    /** The same installation with a new token pair (after a refresh), no longer refused. */
    public Bitrix24Installation withTokens(Bitrix24Tokens newTokens) {
        return new Bitrix24Installation(memberId, clientEndpoint, newTokens, applicationToken, null);
    }

    /** The same installation, refused by Bitrix24 for {@code reason}: its calls fail at once until it is saved anew. */
    public Bitrix24Installation refused(String reason) {
        return new Bitrix24Installation(memberId, clientEndpoint, tokens, applicationToken, reason);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bitrix24Installation i && memberId.equals(i.memberId) && clientEndpoint.equals(i.clientEndpoint)
               && tokens.equals(i.tokens) && Objects.equals(applicationToken, i.applicationToken)
               && Objects.equals(refusal, i.refusal);
    }

    @Override
    public int hashCode() {
        return Objects.hash(memberId, clientEndpoint, tokens, applicationToken, refusal);
    }

    @Override
    public String toString() {
        return "Bitrix24Installation[memberId=" + memberId + ", clientEndpoint="
               + Bitrix24Credentials.portalAddress(clientEndpoint) + (refusal == null ? "" : ", refused=" + refusal) + "]";
    }
}
