package io.camelbitrix24.crm.internal.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.apache.hc.core5.http.HttpHost;

/**
 * The HTTP proxy the portal is reached through, with Basic credentials or none ({@code username} null). Its text form
 * never shows the password.
 */
public record HttpProxy(String hostName, int port, String username, String password) {

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
