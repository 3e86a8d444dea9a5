package io.camelbitrix24.crm;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.apache.hc.core5.http.HttpHost;

/**
 * The HTTP proxy the portal is reached through ({@code proxyHost}, {@code proxyPort}, Basic credentials), checked when
 * an endpoint starts. Its text form never shows the password.
 */
record HttpProxy(String hostName, int port, String username, String password) {

    /** The configured proxy, or null when none is set. */
    static HttpProxy of(Bitrix24CrmConfiguration config) {
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

    HttpHost host() {
        return new HttpHost("http", hostName, port);
    }

    /** The {@code Proxy-Authorization} value (Basic), or null without credentials. */
    String authorization() {
        if (username == null) {
            return null;
        }
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "http://" + hostName + ":" + port + (username != null ? " as " + username : "");
    }
}
