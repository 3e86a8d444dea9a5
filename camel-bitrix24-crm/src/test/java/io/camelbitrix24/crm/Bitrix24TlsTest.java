package io.camelbitrix24.crm;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.camelbitrix24.emulator.Bitrix24Emulator;
import io.camelbitrix24.testing.DeletingMainApp;
import io.camelbitrix24.testing.EmulatorTrust;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS that tells the truth: a certificate the JVM does not trust is a final error naming the options that fix it, not
 * "no answer"; Camel Main's {@code camel.ssl.*} settings reach the component with {@code useGlobalSslContextParameters},
 * properties only, with the trust store the standalone emulator exports.
 */
class Bitrix24TlsTest {

    private static final String CODE = "tlsW3bhookC0de";
    private static Bitrix24Emulator portal;

    @BeforeAll
    static void start() {
        portal = Bitrix24Emulator.builder().https(true).webhook(1, CODE).start();
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @Test
    void anUntrustedCertificateFailsOnceNamingTheProblemAndTheOptions() throws Exception {
        try (EmulatorContext context = EmulatorContext.deletingLeads(portal, config -> {
            // the JVM's trust store, which does not hold the emulator's certificate
            config.setSslContextParameters(null);
            // retries as by default: a TLS refusal must not use them
            config.setMaxRetries(3);
        })) {
            int lead = portal.data().addLead("L", "NEW");
            Exchange out = context.delete(lead);

            Bitrix24ServerException e = assertInstanceOf(Bitrix24ServerException.class, out.getException());
            assertFalse(e.isRetryable(), e.getMessage());
            assertFalse(e.isOutcomeUnknown(), "no request left");
            assertTrue(e.getMessage().contains("TLS handshake") && e.getMessage().contains("not trusted"), e.getMessage());
            assertTrue(e.getMessage().contains("sslContextParameters")
                       && e.getMessage().contains("useGlobalSslContextParameters"), e.getMessage());
            assertFalse(e.getMessage().contains("no answer"), e.getMessage());
            assertFalse(e.getMessage().contains("gave up after"), "one attempt: " + e.getMessage());
            assertFalse(e.getMessage().contains(CODE));
            assertTrue(portal.data().hasLead(lead));
        }
    }

    /** The recipe of docs/authentication.md: a private CA's trust store for the component, in properties only, on Camel 4.18 and 4.22. */
    @Test
    void camelMainTrustsTheExportedStoreThroughBeanPropertiesOnly(@TempDir Path dir) throws Exception {
        Path trustStore = dir.resolve("bitrix24-emulator-truststore.p12");
        Bitrix24Emulator.exportTrustStore(trustStore);
        assertTrue(Files.size(trustStore) > 0);
        assertDeletesOverHttps(Map.of(
                "camel.beans.bitrix24Tls", "#class:org.apache.camel.support.jsse.SSLContextParameters",
                "camel.beans.bitrix24Tls.trustManagers.keyStore.resource", "file:" + trustStore,
                "camel.beans.bitrix24Tls.trustManagers.keyStore.password", Bitrix24Emulator.STORE_PASSWORD,
                "bitrix24.webhookUrl", portal.webhookUrl(),
                "camel.component.bitrix24-crm.webhook-url", "{{bitrix24.webhookUrl}}",
                "camel.component.bitrix24-crm.ssl-context-parameters", "#bean:bitrix24Tls"));
    }

    /**
     * Camel Main's global TLS settings reach the component through useGlobalSslContextParameters. Camel 4.22 makes them
     * only when a key store is set too (CAMEL-22497): the trust store serves as one, with no key in it.
     */
    @Test
    void camelMainGlobalTlsSettingsReachTheComponent(@TempDir Path dir) throws Exception {
        Path trustStore = dir.resolve("bitrix24-emulator-truststore.p12");
        Bitrix24Emulator.exportTrustStore(trustStore);
        assertDeletesOverHttps(Map.of(
                "camel.ssl.enabled", "true",
                "camel.ssl.keyStore", "file:" + trustStore,
                "camel.ssl.keystorePassword", Bitrix24Emulator.STORE_PASSWORD,
                "camel.ssl.trustStore", "file:" + trustStore,
                "camel.ssl.trustStorePassword", Bitrix24Emulator.STORE_PASSWORD,
                "bitrix24.webhookUrl", portal.webhookUrl(),
                "camel.component.bitrix24-crm.webhook-url", "{{bitrix24.webhookUrl}}",
                "camel.component.bitrix24-crm.use-global-ssl-context-parameters", "true"));
    }

    private void assertDeletesOverHttps(Map<String, String> properties) throws Exception {
        try (DeletingMainApp app = DeletingMainApp.start(properties)) {
            int lead = portal.data().addLead("L", "NEW");
            Exchange out = app.delete(lead);
            assertNull(out.getException());
            assertFalse(portal.data().hasLead(lead), "deleted over HTTPS");
        }
    }

    @Test
    void askingForGlobalSettingsThatDoNotExistFailsTheStart() {
        Bitrix24CrmComponent component = EmulatorContext.component(portal);
        component.getConfiguration().setSslContextParameters(null);
        component.setUseGlobalSslContextParameters(true);
        Exception e = assertThrows(Exception.class,
                () -> EmulatorContext.start(component, Map.of("direct:delete", "bitrix24-crm:lead/delete")).close());
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertTrue(root.getMessage().contains("camel.ssl.enabled"), root.getMessage());
    }

    /**
     * A real handshake with a certificate the JVM trusts but that is for another host: the emulator's certificate names
     * localhost, 127.0.0.1 and ::1, and this portal listens on 127.0.0.2. Final at once, nothing sent.
     */
    @Test
    void aCertificateForAnotherHostIsFinal() throws Exception {
        try (Bitrix24Emulator elsewhere = Bitrix24Emulator.builder().https(true).address("127.0.0.2").webhook(1, CODE)
                .start();
             EmulatorContext context = EmulatorContext.deletingLeads(elsewhere, config -> {
                 // the emulator's certificate trusted (as wired for every emulated portal), retries as by default
                 config.setMaxRetries(3);
             })) {
            assertTrue(elsewhere.webhookUrl().startsWith("https://127.0.0.2:"), elsewhere.webhookUrl());
            int lead = elsewhere.data().addLead("L", "NEW");
            Exchange out = context.delete(lead);

            Bitrix24ServerException e = assertInstanceOf(Bitrix24ServerException.class, out.getException());
            assertFalse(e.isRetryable(), e.getMessage());
            assertFalse(e.isOutcomeUnknown(), "no request left: " + e.getMessage());
            assertTrue(e.getMessage().contains("not for the portal's host name"), e.getMessage());
            assertFalse(e.getMessage().contains("gave up after"), "one attempt: " + e.getMessage());
            assertFalse(e.getMessage().contains(CODE));
            assertTrue(elsewhere.data().hasLead(lead));
            assertEquals(0, elsewhere.requests().total(), "no request reached the portal");
        }
    }

    /**
     * A real handshake the server drops (it closes the connection on the client's hello): it may pass, so it is retried,
     * and nothing was sent.
     */
    @Test
    void aDroppedHandshakeMayPass() throws Exception {
        try (ServerSocket dropping = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger handshakes = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                while (!dropping.isClosed()) {
                    try (Socket client = dropping.accept()) {
                        client.setSoTimeout(5_000);
                        // the client's hello, then the connection closed with no answer
                        if (client.getInputStream().read() >= 0) {
                            handshakes.incrementAndGet();
                        }
                    } catch (IOException e) {
                        // closed at the test's end
                    }
                }
            }, "dropping-tls-server");
            acceptor.setDaemon(true);
            acceptor.start();
            Bitrix24CrmComponent component = new Bitrix24CrmComponent();
            component.getConfiguration().setWebhookUrl("https://127.0.0.1:" + dropping.getLocalPort() + "/rest/1/" + CODE + "/");
            component.getConfiguration().setSslContextParameters(EmulatorTrust.sslContextParameters());
            component.getConfiguration().setMaxRetries(1);
            component.getConfiguration().setRetryDelay(10);
            try (EmulatorContext context = EmulatorContext.start(component,
                    Map.of("direct:delete", "bitrix24-crm:lead/delete"))) {
                Exchange out = context.delete(1);

                Bitrix24ServerException e = assertInstanceOf(Bitrix24ServerException.class, out.getException());
                assertTrue(e.isRetryable(), e.getMessage());
                assertFalse(e.isOutcomeUnknown(), "no request left: " + e.getMessage());
                assertEquals("SSLHandshakeException", e.getErrorDescription(), e.getMessage());
                assertTrue(e.getMessage().contains("gave up after 2 attempts"), "maxRetries=1: " + e.getMessage());
                // the two attempts' handshakes, and the one the producer's start may open ahead of the first call
                assertTrue(handshakes.get() >= 2, "handshakes the server dropped: " + handshakes.get());
                assertFalse(e.getMessage().contains(CODE));
            }
        }
    }
}
