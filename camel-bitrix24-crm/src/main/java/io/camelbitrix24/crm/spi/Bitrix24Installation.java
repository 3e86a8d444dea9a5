package io.camelbitrix24.crm.spi;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One installation of the application on a portal: its {@code member_id} (which stays when the portal's address
 * changes), the portal's REST address ({@code client_endpoint}), the OAuth tokens, the {@code application_token} that
 * later events of the portal must carry, and, once Bitrix24 refused the application there for good
 * ({@code invalid_grant}, {@code invalid_client}, {@code PAYMENT_REQUIRED}), why; and, when the registry knows the
 * portal's plan, its request limits (Enterprise: a burst of 250 draining 5 a second), else the component's
 * {@code rateLimitBurst} and {@code rateLimitPerSecond} apply. {@link #toString()} never shows a token.
 */
public final class Bitrix24Installation {

    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^/?#\\s]+");

    private final String memberId;
    private final String clientEndpoint;
    private final Bitrix24Tokens tokens;
    private final String applicationToken;
    private final String refusal;
    private final Integer rateLimitBurst;
    private final Double rateLimitPerSecond;

    public Bitrix24Installation(String memberId, String clientEndpoint, Bitrix24Tokens tokens, String applicationToken,
                                String refusal) {
        this(memberId, clientEndpoint, tokens, applicationToken, refusal, null, null);
    }

    /** {@code rateLimitBurst} and {@code rateLimitPerSecond}: the portal's plan limits, null when not known. */
    public Bitrix24Installation(String memberId, String clientEndpoint, Bitrix24Tokens tokens, String applicationToken,
                                String refusal, Integer rateLimitBurst, Double rateLimitPerSecond) {
        this.memberId = Objects.requireNonNull(memberId, "memberId");
        this.clientEndpoint = Objects.requireNonNull(clientEndpoint, "clientEndpoint");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.applicationToken = applicationToken;
        this.refusal = refusal;
        if (rateLimitBurst != null && rateLimitBurst < 1 || rateLimitPerSecond != null && rateLimitPerSecond < 0) {
            throw new IllegalArgumentException("rateLimitBurst must be 1 or more and rateLimitPerSecond 0 or more, were "
                                               + rateLimitBurst + " and " + rateLimitPerSecond);
        }
        this.rateLimitBurst = rateLimitBurst;
        this.rateLimitPerSecond = rateLimitPerSecond;
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

    /** The portal's request burst by its plan, or null: the component's {@code rateLimitBurst}. */
    public Integer getRateLimitBurst() {
        return rateLimitBurst;
    }

    /** The portal's drain rate by its plan, calls a second, or null: the component's {@code rateLimitPerSecond}. */
    public Double getRateLimitPerSecond() {
        return rateLimitPerSecond;
    }

    /** The same installation with a new token pair (after a refresh), no longer refused. */
    public Bitrix24Installation withTokens(Bitrix24Tokens newTokens) {
        return movedTo(clientEndpoint, newTokens);
    }

    /** The same installation at another REST address (its portal's address changed), with a new token pair. */
    public Bitrix24Installation movedTo(String newClientEndpoint, Bitrix24Tokens newTokens) {
        return new Bitrix24Installation(memberId, newClientEndpoint, newTokens, applicationToken, null, rateLimitBurst,
                rateLimitPerSecond);
    }

    /** The same installation, refused by Bitrix24 for {@code reason}: its calls fail at once until it is saved anew. */
    public Bitrix24Installation refused(String reason) {
        return new Bitrix24Installation(memberId, clientEndpoint, tokens, applicationToken, reason, rateLimitBurst,
                rateLimitPerSecond);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bitrix24Installation i && memberId.equals(i.memberId) && clientEndpoint.equals(i.clientEndpoint)
               && tokens.equals(i.tokens) && Objects.equals(applicationToken, i.applicationToken)
               && Objects.equals(refusal, i.refusal) && Objects.equals(rateLimitBurst, i.rateLimitBurst)
               && Objects.equals(rateLimitPerSecond, i.rateLimitPerSecond);
    }

    @Override
    public int hashCode() {
        return Objects.hash(memberId, clientEndpoint, tokens, applicationToken, refusal, rateLimitBurst,
                rateLimitPerSecond);
    }

    @Override
    public String toString() {
        return "Bitrix24Installation[memberId=" + memberId + ", clientEndpoint="
               + addressOf(clientEndpoint) + (refusal == null ? "" : ", refused=" + refusal)
               + (rateLimitBurst == null && rateLimitPerSecond == null ? ""
                       : ", limits=" + rateLimitBurst + "+" + rateLimitPerSecond + "/s") + "]";
    }

    /** {@code scheme://host:port} of the REST address: the path is no secret, but the address says enough. */
    private static String addressOf(String url) {
        Matcher address = ADDRESS.matcher(url == null ? "" : url);
        return address.lookingAt() ? address.group().toLowerCase(Locale.ROOT) : null;
    }
}
