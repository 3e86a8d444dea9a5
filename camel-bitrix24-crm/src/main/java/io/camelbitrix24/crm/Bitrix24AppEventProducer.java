package io.camelbitrix24.crm;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.internal.call.Futures;
import io.camelbitrix24.crm.internal.call.Operation;
import io.camelbitrix24.crm.internal.call.TransportFailures;
import io.camelbitrix24.crm.internal.call.Urls;
import io.camelbitrix24.crm.internal.input.AppEvents;
import io.camelbitrix24.crm.internal.input.Echo;
import io.camelbitrix24.crm.internal.input.MemberIds;
import io.camelbitrix24.crm.internal.portal.Portals;
import io.camelbitrix24.crm.spi.Bitrix24Installation;
import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;
import io.camelbitrix24.crm.spi.Bitrix24Tokens;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
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
 * The registry is read and written on the component's registry threads, never on the route's, and every endpoint of
 * the component that holds a copy of the installation is told of the change at once.
 * <p>
 * The event's fields leave the message as soon as it is read (an HTTP consumer copies a form's fields into headers,
 * {@code auth[access_token]} among them): the body becomes the outcome as text, {@code installed}, {@code uninstalled}
 * or {@code not installed: nothing to do}; header {@code CamelBitrix24CrmPortal} names the installation. A failed event sets
 * {@code CamelHttpResponseCode} (400, 403 or 502), so the simplest HTTP route answers its caller by it. No token is
 * ever logged or left in a message.
 */
final class Bitrix24AppEventProducer extends DefaultAsyncProducer {

    private static final Logger LOG = LoggerFactory.getLogger(Bitrix24AppEventProducer.class);
    // the outcome as text: an HTTP consumer sends the body back to Bitrix24 as it is
    static final String INSTALLED = "installed";
    static final String UNINSTALLED = "uninstalled";
    static final String NOT_INSTALLED = "not installed: nothing to do";

    private final Bitrix24CrmEndpoint endpoint;
    private final Operation operation;

    Bitrix24AppEventProducer(Bitrix24CrmEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.operation = endpoint.getCrmOperation();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        CompletableFuture<String> done;
        try {
            AppEvents.Event event = AppEvents.take(exchange, endpoint.getObjectMapper(),
                    operation.method(), nothingDone());
            done = operation == Operation.APP_INSTALL ? install(exchange, event.fields())
                    : uninstall(exchange, event.fields());
        } catch (RuntimeException e) {
            fail(exchange, e);
            callback.done(true);
            return true;
        }
        return Bitrix24CrmProducer.completeWhenDone(endpoint, exchange, callback, done, handled -> {
            Message message = exchange.getMessage();
            message.setBody(handled);
            replyAsText(message);
        }, failure -> fail(exchange, failure));
    }

    /**
     * The exchange fails with {@code failure}, and an HTTP consumer that took the event answers its caller by it: 400
     * for an event that cannot be read, 403 for one refused, 502 when the OAuth server could not say. The body, an
     * {@link AppEvents.Event}, prints no token.
     */
    private static void fail(Exchange exchange, Throwable error) {
        Throwable failure = Bitrix24Exceptions.toPublic(error);
        int status = failure instanceof Bitrix24ValidationException ? 400
                : failure instanceof Bitrix24AuthenticationException ? 403 : 502;
        Message message = exchange.getMessage();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        replyAsText(message);
        exchange.setException(failure);
    }

    /** The request's Content-Type (a form) does not describe the reply. */
    private static void replyAsText(Message message) {
        if (message.getHeader(Exchange.CONTENT_TYPE) != null) {
            message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=UTF-8");
        }
    }

    private String nothingDone() {
        return operation == Operation.APP_INSTALL ? "nothing was stored" : "nothing was removed";
    }

    private CompletableFuture<String> install(Exchange exchange, Map<String, String> fields) {
        String method = operation.method();
        requireEvent(fields);
        String memberId = memberIdOf(fields);
        String domain = required(fields, "auth[domain]");
        String accessToken = required(fields, "auth[access_token]");
        String refreshToken = required(fields, "auth[refresh_token]");
        String applicationToken = required(fields, "auth[application_token]");
        exchange.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, memberId);
        Bitrix24CrmConfiguration config = endpoint.getConfiguration();
        String server = Urls.withSlash(config.getOauthServerUrl());
        URI appInfo = URI.create(server + "rest/app.info?auth=" + URLEncoder.encode(accessToken, StandardCharsets.UTF_8));
        return endpoint.getTransport().getFirst(appInfo).handle((raw, error) -> {
            if (error != null) {
                throw TransportFailures.of(method, Futures.unwrap(error));
            }
            JsonNode result = readResult(raw.body());
            JsonNode install = result == null ? null : result.path("install");
            if (raw.status() != 200 || result == null) {
                throw refused(memberId, "the OAuth server did not confirm the event's token (HTTP " + raw.status() + ")");
            }
            if (!config.getClientId().equals(result.path("client_id").asText(null))) {
                throw refused(memberId, "the event's token belongs to another application");
            }
            if (!memberId.equalsIgnoreCase(install.path("member_id").asText("").strip())) {
                throw refused(memberId, "the event's token belongs to another installation");
            }
            if (!domain.equalsIgnoreCase(install.path("domain").asText(""))) {
                throw refused(memberId, "the event names another portal address than its token's");
            }
            String clientEndpoint = install.path("client_endpoint").asText(null);
            if (clientEndpoint == null) {
                clientEndpoint = "https://" + domain + "/rest/";
            }
            String address = Urls.portalAddress(clientEndpoint);
            if (address == null || !address.toLowerCase(Locale.ROOT).endsWith("://" + domain.toLowerCase(Locale.ROOT))) {
                throw refused(memberId, "the portal's REST address is not on its domain");
            }
            Urls.requireSecure("the installation's client_endpoint", clientEndpoint, config.isAllowInsecureHttp());
            return new Bitrix24Installation(memberId, clientEndpoint, new Bitrix24Tokens(accessToken, refreshToken),
                    applicationToken, null);
        }).thenApplyAsync(installation -> {
            // on a registry thread, not the HTTP client's: a registry's write may be a network round-trip
            Bitrix24PortalRegistry registry = endpoint.getPortalRegistry();
            registry.save(installation);
            // this JVM's calls go with the new installation from now
            shared().installations().learned(registry, memberId, installation);
            LOG.info("Installed on portal {} ({})", memberId, Urls.portalAddress(installation.getClientEndpoint()));
            return INSTALLED;
        }, shared().registryExecutor()).orTimeout(Portals.READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    private CompletableFuture<String> uninstall(Exchange exchange, Map<String, String> fields) {
        requireEvent(fields);
        String memberId = memberIdOf(fields);
        String applicationToken = required(fields, "auth[application_token]");
        exchange.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, memberId);
        Bitrix24PortalRegistry registry = endpoint.getPortalRegistry();
        // on a registry thread, not the route's: a registry's read and write may be network round-trips
        return CompletableFuture.supplyAsync(() -> {
            Bitrix24Installation installation = registry.find(memberId);
            if (installation == null) {
                LOG.debug("Uninstall event for portal {}, which has no installation: nothing to do", memberId);
                return NOT_INSTALLED;
            }
            byte[] stored = installation.getApplicationToken() == null ? new byte[0]
                    : installation.getApplicationToken().getBytes(StandardCharsets.UTF_8);
            if (stored.length == 0
                || !MessageDigest.isEqual(stored, applicationToken.getBytes(StandardCharsets.UTF_8))) {
                throw refused(memberId, "its application_token is not the one stored at install");
            }
            registry.remove(memberId);
            // the calls still waiting to leave for it fail at once, with nothing sent, and later calls find it gone
            shared().installations().revoke(registry, memberId);
            LOG.info("Uninstalled from portal {}", memberId);
            return UNINSTALLED;
        }, shared().registryExecutor()).orTimeout(Portals.READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    private Bitrix24SharedResources shared() {
        return endpoint.getComponent().sharedResources();
    }

    private void requireEvent(Map<String, String> fields) {
        String given = required(fields, "event");
        if (!operation.event().equalsIgnoreCase(given)) {
            throw Failure.invalidInput(operation.method(), "event", "bitrix24-crm:" + operation.path() + " takes "
                                                                    + operation.event() + ", not " + Echo.of(given)
                                                                    + "; " + nothingDone());
        }
    }

    private String required(Map<String, String> fields, String name) {
        return AppEvents.required(fields, name, operation.method(), nothingDone());
    }

    private String memberIdOf(Map<String, String> fields) {
        return MemberIds.of(required(fields, "auth[member_id]"), "auth[member_id]", operation.method(),
                nothingDone());
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
                                                   + "; " + nothingDone(), operation.method(), 0, null, why, false,
                null);
    }
}
