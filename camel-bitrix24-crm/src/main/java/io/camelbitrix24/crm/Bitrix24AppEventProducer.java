package io.camelbitrix24.crm;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code app/install} and {@code app/uninstall}: the application's installation events, in many-portal mode.
 * <ul>
 * <li>{@code ONAPPINSTALL} is trusted only once the OAuth server says so: {@code app.info} on the configured
 * {@code oauthServerUrl} (never an address the event names), with the event's access token, must answer this
 * application's {@code client_id} and the event's {@code member_id} and {@code domain}; then the installation is
 * saved with its tokens, its portal's REST address and its {@code application_token}. Anything else stores nothing.
 * <li>{@code ONAPPUNINSTALL} carries no token (Bitrix24 has revoked them): its {@code application_token} must equal
 * the stored one (compared in constant time), and the installation is removed; an unknown portal is a no-op.
 * </ul>
 * The body becomes true when the registry changed; header {@code CamelBitrix24CrmPortal} names the installation. No
 * token is ever logged or put in a message.
 */
final class Bitrix24AppEventProducer extends DefaultAsyncProducer {

    private static final Logger LOG = LoggerFactory.getLogger(Bitrix24AppEventProducer.class);

    private final Bitrix24CrmEndpoint endpoint;
    private final Bitrix24CrmOperation operation;

    Bitrix24AppEventProducer(Bitrix24CrmEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.operation = endpoint.getCrmOperation();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        CompletableFuture<Boolean> done;
        try {
            Map<String, String> fields = Bitrix24AppEvents.fields(exchange.getMessage().getBody(), operation.method());
            done = operation == Bitrix24CrmOperation.APP_INSTALL ? install(exchange, fields) : uninstall(exchange, fields);
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        return Bitrix24CrmProducer.completeWhenDone(endpoint, exchange, callback, done, exchange.getMessage()::setBody,
                exchange::setException);
    }

    private CompletableFuture<Boolean> install(Exchange exchange, Map<String, String> fields) {
        String method = operation.method();
        requireEvent(fields, "ONAPPINSTALL");
        String memberId = Bitrix24AppEvents.required(fields, "auth[member_id]", method);
        String domain = Bitrix24AppEvents.required(fields, "auth[domain]", method);
        String accessToken = Bitrix24AppEvents.required(fields, "auth[access_token]", method);
        String refreshToken = Bitrix24AppEvents.required(fields, "auth[refresh_token]", method);
        String applicationToken = Bitrix24AppEvents.required(fields, "auth[application_token]", method);
        exchange.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, memberId);
        Bitrix24CrmConfiguration config = endpoint.getConfiguration();
        String server = Bitrix24Credentials.withSlash(config.getOauthServerUrl());
        URI appInfo = URI.create(server + "rest/app.info?auth=" + URLEncoder.encode(accessToken, StandardCharsets.UTF_8));
        return endpoint.getTransport().getFirst(appInfo).handle((raw, error) -> {
            if (error != null) {
                throw Bitrix24ErrorMapper.fromTransportFailure(method, Bitrix24Client.unwrap(error));
            }
            JsonNode result = readResult(raw.body());
            JsonNode install = result == null ? null : result.path("install");
            if (raw.status() != 200 || result == null) {
                throw refused(memberId, "the OAuth server did not confirm the event's token (HTTP " + raw.status() + ")");
            }
            if (!config.getClientId().equals(result.path("client_id").asText(null))) {
                throw refused(memberId, "the event's token belongs to another application");
            }
            if (!memberId.equals(install.path("member_id").asText(null))) {
                throw refused(memberId, "the event's token belongs to another installation");
            }
            if (!domain.equalsIgnoreCase(install.path("domain").asText(""))) {
                throw refused(memberId, "the event names another portal address than its token's");
            }
            String clientEndpoint = install.path("client_endpoint").asText(null);
            if (clientEndpoint == null) {
                clientEndpoint = "https://" + domain + "/rest/";
            }
            String address = Bitrix24Credentials.portalAddress(clientEndpoint);
            if (address == null || !address.toLowerCase(Locale.ROOT).endsWith("://" + domain.toLowerCase(Locale.ROOT))) {
                throw refused(memberId, "the portal's REST address is not on its domain");
            }
            Bitrix24Credentials.requireSecure("the installation's client_endpoint", clientEndpoint, config);
            endpoint.getPortalRegistry().save(new Bitrix24Installation(memberId, clientEndpoint,
                    new Bitrix24Tokens(accessToken, refreshToken), applicationToken, null));
            LOG.info("Installed on portal {} ({})", memberId, address);
            return true;
        });
    }

    private CompletableFuture<Boolean> uninstall(Exchange exchange, Map<String, String> fields) {
        String method = operation.method();
        requireEvent(fields, "ONAPPUNINSTALL");
        String memberId = Bitrix24AppEvents.required(fields, "auth[member_id]", method);
        String applicationToken = Bitrix24AppEvents.required(fields, "auth[application_token]", method);
        exchange.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, memberId);
        Bitrix24PortalRegistry registry = endpoint.getPortalRegistry();
        Bitrix24Installation installation = registry.find(memberId);
        if (installation == null) {
            LOG.debug("Uninstall event for portal {}, which has no installation: nothing to do", memberId);
            return CompletableFuture.completedFuture(false);
        }
        byte[] stored = installation.getApplicationToken() == null ? new byte[0]
                : installation.getApplicationToken().getBytes(StandardCharsets.UTF_8);
        if (stored.length == 0 || !MessageDigest.isEqual(stored, applicationToken.getBytes(StandardCharsets.UTF_8))) {
            throw refused(memberId, "its application_token is not the one stored at install");
        }
        registry.remove(memberId);
        // the calls still waiting to leave for it fail at once, with nothing sent
        ((Bitrix24CrmComponent) endpoint.getComponent()).sharedResources().revokeInstallation(registry, memberId);
        LOG.info("Uninstalled from portal {}", memberId);
        return CompletableFuture.completedFuture(true);
    }

    private void requireEvent(Map<String, String> fields, String event) {
        String given = Bitrix24AppEvents.required(fields, "event", operation.method());
        if (!event.equalsIgnoreCase(given)) {
            throw new Bitrix24ValidationException(operation.method(), "event", "bitrix24-crm:" + operation.path()
                                                                               + " takes " + event + ", not '" + given
                                                                               + "'; nothing was stored");
        }
    }

    private JsonNode readResult(byte[] body) {
        try {
            JsonNode node = endpoint.getObjectMapper().readTree(body);
            return node != null && node.path("result").isObject() ? node.path("result") : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private Bitrix24AuthenticationException refused(String memberId, String why) {
        return new Bitrix24AuthenticationException("Installation event for portal " + memberId + " refused: " + why
                                                   + "; nothing was stored", operation.method(), 0, null, why, false,
                null);
    }
}
