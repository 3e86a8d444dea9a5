package io.camelbitrix24.crm.internal.http;

import javax.net.ssl.SSLContext;

/**
 * Connection and answer limits of one transport: {@code maxConnections} per portal, {@code maxTotalConnections} over
 * all portals. {@code proxy} is null for direct connections.
 */
public record HttpSettings(SSLContext sslContext, int connectTimeoutMillis, int responseTimeoutMillis,
                           int maxResponseSize, String userAgent, int maxConnections, int maxTotalConnections,
                           HttpProxy proxy) {
}
