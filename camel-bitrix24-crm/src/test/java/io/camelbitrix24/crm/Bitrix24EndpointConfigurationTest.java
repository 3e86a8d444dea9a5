package io.camelbitrix24.crm;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.camelbitrix24.crm.internal.call.Operation;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import io.camelbitrix24.testing.EmulatorTrust;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** How endpoints are configured: valid paths, credentials, HTTPS, component-wide options and endpoint overrides. */
class Bitrix24EndpointConfigurationTest {

    private static final String WEBHOOK = "webhookUrl=https://example.bitrix24.com/rest/1/x/";

    /**
     * A URI that must not start, what the failure must say, a secret it must not repeat (or null), and the Camel
     * exception it comes as (or null: any).
     */
    static Stream<Arguments> badConfigurations() {
        List<String> everyEndpoint = new ArrayList<>(List.of("'invoice/delete'"));
        for (Operation operation : Operation.values()) {
            everyEndpoint.add("bitrix24-crm:" + operation.path());
        }
        return Stream.of(
                arguments("unknown endpoint, the valid ones listed", "invoice/delete?" + WEBHOOK, everyEndpoint, null,
                        FailedToCreateRouteException.class),
                arguments("entityTypeId is for item/delete only", "deal/delete?" + WEBHOOK + "&entityTypeId=2",
                        List.of("entityTypeId is an option of bitrix24-crm:item/delete, not of bitrix24-crm:deal/delete"),
                        null, null),
                arguments("entityTypeId from 1 up", "item/delete?" + WEBHOOK + "&entityTypeId=0",
                        List.of("entityTypeId must be from 1 to 2147483647, was 0"), null, null),
                arguments("items-delete is for lead-contact only", "lead/items-delete?" + WEBHOOK,
                        List.of("Valid endpoints"), null, null),
                arguments("plain http not allowed", "lead/delete?webhookUrl=http://127.0.0.1:1/rest/1/c0de/",
                        List.of("allowInsecureHttp"), "c0de", null),
                arguments("no credentials", "lead/delete", List.of("No Bitrix24 credentials"), null, null),
                arguments("malformed webhook URL", "lead/delete?webhookUrl=https://example.bitrix24.com/api/s3cr3t",
                        List.of("webhookUrl must look like"), "s3cr3t", null),
                arguments("unknown option", "lead/delete?" + WEBHOOK + "&methodName=crm.deal.delete",
                        List.of("methodName"), null, ResolveEndpointFailedException.class),
                arguments("batchSize above Bitrix24's 50", "lead/delete?" + WEBHOOK + "&batchSize=51",
                        List.of("batchSize must be from 1 to 50, was 51"), null, null),
                arguments("maxConnections 0", "lead/delete?" + WEBHOOK + "&maxConnections=0",
                        List.of("maxConnections must be from 1 to 1024, was 0"), null, null),
                arguments("maxRetries negative", "lead/delete?" + WEBHOOK + "&maxRetries=-1",
                        List.of("maxRetries must be from 0 to 100, was -1"), null, null),
                arguments("rateLimitPerSecond negative", "lead/delete?" + WEBHOOK + "&rateLimitPerSecond=-2",
                        List.of("rateLimitPerSecond must be 0 (off) or more, was -2.0"), null, null),
                arguments("proxyHost without proxyPort", "lead/delete?" + WEBHOOK + "&proxyHost=proxy.example",
                        List.of("proxyPort must be from 1 to 65535 when proxyHost is set, was null"), null, null),
                arguments("proxyHost written as a URL", "lead/delete?" + WEBHOOK
                                                        + "&proxyHost=http://proxy.example&proxyPort=3128",
                        List.of("proxyHost must be a host name or address", "was http://proxy.example"), null, null),
                arguments("proxy credentials without proxyHost", "lead/delete?" + WEBHOOK
                                                                 + "&proxyAuthUsername=me&proxyAuthPassword=pr0xyS3cret",
                        List.of("need proxyHost"), "pr0xyS3cret", null),
                arguments("proxy user name holding user:password", "lead/delete?" + WEBHOOK
                                                                   + "&proxyHost=proxy.example&proxyPort=3128"
                                                                   + "&proxyAuthUsername=me:pr0xyS3cret",
                        List.of("proxyAuthUsername must not contain ':'"), "pr0xyS3cret", null),
                arguments("proxyHost with a blank", "lead/delete?" + WEBHOOK + "&proxyHost=proxy%20example&proxyPort=3128",
                        List.of("proxyHost must be a host name or address"), null, null),
                arguments("proxy password without user name", "lead/delete?" + WEBHOOK
                                                              + "&proxyHost=proxy.example&proxyPort=3128"
                                                              + "&proxyAuthPassword=pr0xyS3cret",
                        List.of("proxyAuthPassword is set without proxyAuthUsername"), "pr0xyS3cret", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigurations")
    void aBadConfigurationFailsTheStartSayingWhatToFix(String what, String uri, List<String> expected, String secret,
                                                      Class<? extends Exception> camelException) throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:start").to("bitrix24-crm:" + uri);
                }
            });
            Exception e = assertThrows(Exception.class, context::start);
            StringBuilder messages = new StringBuilder();
            boolean camelExceptionSeen = camelException == null;
            for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
                camelExceptionSeen |= camelException != null && camelException.isInstance(t);
            }
            assertTrue(camelExceptionSeen, () -> "no " + camelException.getSimpleName() + " in: " + messages);
            for (String text : expected) {
                assertTrue(messages.toString().contains(text), () -> "missing '" + text + "' in: " + messages);
            }
            if (secret != null) {
                assertFalse(rootCause(e).getMessage().contains(secret), "the component's message repeats no secret");
            }
        }
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
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
            context.getRegistry().bind("emulatorTls", EmulatorTrust.sslContextParameters());
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
