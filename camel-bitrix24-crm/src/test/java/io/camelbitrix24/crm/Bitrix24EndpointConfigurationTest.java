package io.camelbitrix24.crm;

import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How endpoints are configured: valid paths, credentials, HTTPS, component-wide options and endpoint overrides. */
class Bitrix24EndpointConfigurationTest {

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static Throwable startRoute(CamelContext context, String uri) {
        try {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:start").to(uri);
                }
            });
            context.start();
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    @Test
    void unknownEndpointFailsAtCreationListingTheValidOnes() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            Throwable e = startRoute(context, "bitrix24-crm:deal/delete?webhookUrl=https://example.bitrix24.com/rest/1/x/");
            assertInstanceOf(FailedToCreateRouteException.class, e);
            String message = rootCause(e).getMessage();
            assertTrue(message.contains("'deal/delete'"), message);
            for (Bitrix24CrmOperation operation : Bitrix24CrmOperation.values()) {
                assertTrue(message.contains("bitrix24-crm:" + operation.path()), message);
            }
        }
    }

    @Test
    void itemsDeleteExistsOnlyForLeadContact() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            Throwable e = startRoute(context, "bitrix24-crm:lead/items-delete?webhookUrl=https://example.bitrix24.com/rest/1/x/");
            assertTrue(rootCause(e).getMessage().contains("Valid endpoints"), rootCause(e).getMessage());
        }
    }

    @Test
    void plainHttpIsRefusedUnlessAllowed() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            Throwable e = startRoute(context, "bitrix24-crm:lead/delete?webhookUrl=http://127.0.0.1:1/rest/1/c0de/");
            String message = rootCause(e).getMessage();
            assertTrue(message.contains("allowInsecureHttp"), message);
            assertFalse(message.contains("c0de"), message);
        }
    }

    @Test
    void missingCredentialsAreNamed() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            Throwable e = startRoute(context, "bitrix24-crm:lead/delete");
            assertTrue(rootCause(e).getMessage().contains("No Bitrix24 credentials"), rootCause(e).getMessage());
        }
    }

    @Test
    void malformedWebhookUrlIsNamedWithoutItsSecret() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            Throwable e = startRoute(context, "bitrix24-crm:lead/delete?webhookUrl=https://example.bitrix24.com/api/s3cr3t");
            String message = rootCause(e).getMessage();
            assertTrue(message.contains("webhookUrl must look like"), message);
            assertFalse(message.contains("s3cr3t"), message);
        }
    }

    @Test
    void unknownOptionIsRejected() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            Throwable e = startRoute(context,
                    "bitrix24-crm:lead/delete?webhookUrl=https://example.bitrix24.com/rest/1/x/&methodName=crm.deal.delete");
            assertInstanceOf(ResolveEndpointFailedException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("methodName"), e.getCause().getMessage());
        }
    }

    @Test
    void componentOptionsComeFromPropertiesAndEndpointsOverrideThem() throws Exception {
        try (LogCapture logs = LogCapture.start("main");
             Bitrix24Emulator portal = Bitrix24Emulator.builder().webhook(1, "props-code-secret").start()) {
            Main main = new Main();
            // what application.properties does, with the secret kept in its own property (in real life {{env:...}})
            main.addInitialProperty("bitrix24.webhookUrl", portal.webhookUrl());
            main.addInitialProperty("camel.component.bitrix24-crm.webhookUrl", "{{bitrix24.webhookUrl}}");
            main.addInitialProperty("camel.component.bitrix24-crm.allowInsecureHttp", "true");
            main.addInitialProperty("camel.component.bitrix24-crm.useItemApi", "true");
            // a user's own sensitive keyword: the component's is registered once, beside it
            main.addInitialProperty("camel.main.additionalSensitiveKeywords", "acmeToken");
            main.configure().addRoutesBuilder(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:item").to("bitrix24-crm:lead/delete");
                    from("direct:classic").to("bitrix24-crm:lead/delete?useItemApi=false");
                }
            });
            main.start();
            try {
                int first = portal.data().addLead("A", "NEW");
                int second = portal.data().addLead("B", "NEW");
                String keywords = main.getCamelContext().getCamelContextExtension().getAdditionalSensitiveKeywords();
                assertTrue(keywords.contains("acmeToken") && keywords.contains("webhookUrl"), keywords);
                ProducerTemplate template = main.getCamelContext().createProducerTemplate();
                assertNull(template.request("direct:item", e -> e.getMessage().setBody(first)).getException());
                assertNull(template.request("direct:classic", e -> e.getMessage().setBody(second)).getException());
                assertEquals(1, portal.requests().count("crm.item.delete"));
                assertEquals(1, portal.requests().count("crm.lead.delete"));
                assertFalse(portal.data().hasLead(first));
                assertFalse(portal.data().hasLead(second));
            } finally {
                main.stop();
            }
            // Camel Main prints the properties and options it applied, at INFO and DEBUG: the webhook URL is masked
            // like a password, and the DEBUG dump of camel.* properties shows only the placeholder
            assertTrue(logs.lines().stream().anyMatch(line -> line.contains("webhookUrl = xxxxxx")),
                    "the summary names the option");
            assertTrue(logs.lines().stream().anyMatch(line -> line.startsWith("DEBUG org.apache.camel.main")),
                    "Camel Main's DEBUG lines were captured");
            // Camel core prints resolved property values while it resolves them, at DEBUG and TRACE (properties
            // component, context extension), for every property of every component: those lines are held aside;
            // Camel Main's own lines, at every level, and everything at INFO and above must be clean
            logs.lines().stream()
                    .filter(line -> !line.matches("(?s)(TRACE|DEBUG) org\\.apache\\.camel\\.(?!main\\.).*"))
                    .forEach(line -> assertFalse(line.contains("props-code-secret"), line));
        }
    }

    @Test
    void httpsWithTheUsersTrustStore() throws Exception {
        try (Bitrix24Emulator portal = Bitrix24Emulator.builder().https(true).webhook(1, "tls-code").start();
             CamelContext context = new DefaultCamelContext()) {
            context.getRegistry().bind("emulatorTls", Bitrix24TestSupport.emulatorTrust());
            context.getPropertiesComponent().addInitialProperty("bitrix24.webhook", portal.webhookUrl());
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:trusted").to("bitrix24-crm:lead/delete?webhookUrl={{bitrix24.webhook}}&sslContextParameters=#emulatorTls");
                    // no trust store: the JVM's defaults, which do not trust a self-signed certificate
                    from("direct:default").to("bitrix24-crm:lead/delete?webhookUrl={{bitrix24.webhook}}");
                }
            });
            context.start();
            int lead = portal.data().addLead("A", "NEW");
            Exchange ok = context.createProducerTemplate().request("direct:trusted", e -> e.getMessage().setBody(lead));
            assertNull(ok.getException());
            assertFalse(portal.data().hasLead(lead));

            int other = portal.data().addLead("B", "NEW");
            Exchange refused = context.createProducerTemplate().request("direct:default", e -> e.getMessage().setBody(other));
            Bitrix24ServerException e = assertInstanceOf(Bitrix24ServerException.class, refused.getException());
            assertInstanceOf(javax.net.ssl.SSLException.class, e.getCause());
            assertTrue(portal.data().hasLead(other), "certificate checks stay on");
        }
    }
}
