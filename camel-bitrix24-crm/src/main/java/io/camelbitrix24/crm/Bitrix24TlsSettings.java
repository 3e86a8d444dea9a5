package io.camelbitrix24.crm;

import java.security.NoSuchAlgorithmException;

import javax.net.ssl.SSLContext;

import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;

/** Which TLS settings an endpoint's connections use: its own, the context's global ones, or the JVM's default. */
final class Bitrix24TlsSettings {

    private Bitrix24TlsSettings() {
    }

    /** The endpoint's own TLS settings, else the context's global ones when the component is told to use them. */
    static SSLContextParameters parametersOf(Bitrix24CrmConfiguration configuration, Bitrix24CrmComponent component) {
        if (configuration.getSslContextParameters() != null) {
            return configuration.getSslContextParameters();
        }
        if (!component.isUseGlobalSslContextParameters()) {
            return null;
        }
        SSLContextParameters global = component.retrieveGlobalSslContextParameters();
        if (global == null) {
            // Camel Main 4.22 sets no global settings from a trust store alone (it wants camel.ssl.keyStore too)
            throw new IllegalArgumentException("useGlobalSslContextParameters is set, but the CamelContext has no global"
                                               + " TLS settings: set the component's sslContextParameters, or in Camel"
                                               + " Main camel.ssl.enabled=true with camel.ssl.trustStore and (from Camel"
                                               + " 4.22) camel.ssl.keyStore");
        }
        return global;
    }

    /** The TLS context of {@code parameters}, or the JVM's default one when there are none. */
    static SSLContext contextOf(SSLContextParameters parameters, CamelContext context) throws Exception {
        if (parameters != null) {
            return parameters.createSSLContext(context);
        }
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context in this JVM", e);
        }
    }
}
