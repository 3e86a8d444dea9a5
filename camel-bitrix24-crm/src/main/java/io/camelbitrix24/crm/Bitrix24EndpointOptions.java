package io.camelbitrix24.crm;

import io.camelbitrix24.crm.internal.call.Operation;
import io.camelbitrix24.crm.internal.http.HttpProxy;

/**
 * The checks of an endpoint's options when it is made, before anything starts: each refusal names the option and its
 * value (never a secret), and nothing is sent.
 */
final class Bitrix24EndpointOptions {

    private Bitrix24EndpointOptions() {
    }

    /**
     * Checks {@code config} and the endpoint's {@code entityTypeId} for {@code operation} in {@code mode}; answers the
     * proxy it names, or null.
     */
    static HttpProxy check(Bitrix24CrmConfiguration config, Integer entityTypeId, Operation operation,
                           Bitrix24AuthMode mode) {
        Bitrix24Credentials.validate(config, mode);
        checkEntityTypeId(entityTypeId, operation);
        if (operation.isAppEvent() && mode != Bitrix24AuthMode.MANY_PORTALS) {
            throw new IllegalArgumentException("bitrix24-crm:" + operation.path() + " registers installations for a"
                                               + " component that serves many portals: set clientId and clientSecret,"
                                               + " and neither webhookUrl nor portalUrl");
        }
        requireRange("batchSize", config.getBatchSize(), 1, 50);
        requireRange("rateLimitBurst", config.getRateLimitBurst(), 1, Integer.MAX_VALUE);
        requireRange("maxRetries", config.getMaxRetries(), 0, 100);
        requireRange("connectTimeout", config.getConnectTimeout(), 1, Integer.MAX_VALUE);
        requireRange("responseTimeout", config.getResponseTimeout(), 1, Integer.MAX_VALUE);
        requireRange("maxResponseSize", config.getMaxResponseSize(), 1024, Integer.MAX_VALUE);
        requireRange("maxConnections", config.getMaxConnections(), 1, 1024);
        requireRange("maxTotalConnections", config.getMaxTotalConnections(), 1, 65536);
        requireRange("portalIdleTimeout", config.getPortalIdleTimeout(), 1, Long.MAX_VALUE);
        HttpProxy proxy = proxyOf(config);
        if (config.getRateLimitPerSecond() < 0) {
            throw new IllegalArgumentException("rateLimitPerSecond must be 0 (off) or more, was "
                                               + config.getRateLimitPerSecond());
        }
        return proxy;
    }

    /** The {@code entityTypeId} option: for item/delete only, a whole number from 1 up. */
    private static void checkEntityTypeId(Integer entityTypeId, Operation operation) {
        if (entityTypeId == null) {
            return;
        }
        if (!operation.needsEntityTypeId()) {
            throw new IllegalArgumentException("entityTypeId is an option of bitrix24-crm:item/delete, not of"
                                               + " bitrix24-crm:" + operation.path() + " (was " + entityTypeId + ")");
        }
        requireRange("entityTypeId", entityTypeId, 1, Integer.MAX_VALUE);
    }

    /** The configured proxy ({@code proxyHost}, {@code proxyPort}, Basic credentials), or null when none is set. */
    private static HttpProxy proxyOf(Bitrix24CrmConfiguration config) {
        String host = config.getProxyHost();
        boolean hasHost = host != null && !host.isBlank();
        boolean hasUser = config.getProxyAuthUsername() != null && !config.getProxyAuthUsername().isEmpty();
        boolean hasPassword = config.getProxyAuthPassword() != null && !config.getProxyAuthPassword().isEmpty();
        if (!hasHost) {
            if (config.getProxyPort() != null || hasUser || hasPassword) {
                throw new IllegalArgumentException("proxyPort, proxyAuthUsername and proxyAuthPassword need proxyHost,"
                                                   + " which is not set");
            }
            return null;
        }
        // a name, an IPv4 address or an IPv6 one (colons and hex digits only); not a URL nor host:port
        boolean ipv6 = host.matches("[0-9A-Fa-f:.]+") && host.chars().filter(c -> c == ':').count() >= 2;
        if (host.contains("/") || host.contains(":") && !ipv6 || !host.equals(host.strip()) || host.contains(" ")) {
            throw new IllegalArgumentException("proxyHost must be a host name or address, without scheme or port"
                                               + " (proxyPort is separate), was " + host);
        }
        Integer port = config.getProxyPort();
        if (port == null || port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxyPort must be from 1 to 65535 when proxyHost is set, was " + port);
        }
        if (hasPassword && !hasUser) {
            throw new IllegalArgumentException("proxyAuthPassword is set without proxyAuthUsername");
        }
        if (hasUser && config.getProxyAuthUsername().contains(":")) {
            // not echoed: a user:password written into the user name would show the password
            throw new IllegalArgumentException("proxyAuthUsername must not contain ':' (Basic authentication): the"
                                               + " password goes in proxyAuthPassword");
        }
        return new HttpProxy(host, port, hasUser ? config.getProxyAuthUsername() : null,
                hasUser ? (hasPassword ? config.getProxyAuthPassword() : "") : null);
    }

    private static void requireRange(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be from " + min + " to " + max + ", was " + value);
        }
    }
}
