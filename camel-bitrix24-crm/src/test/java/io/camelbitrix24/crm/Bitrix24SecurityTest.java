package io.camelbitrix24.crm;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.camelbitrix24.emulator.Answer;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import io.camelbitrix24.emulator.RecordedRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a message cannot do: steer the call to another host, method or identity; and what an answer cannot do: hold a
 * call forever. Plus the names Camel registers in JMX, which must not carry a secret.
 */
class Bitrix24SecurityTest extends Bitrix24TestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:lead").to("bitrix24-crm:lead/delete?maxRetries=0");
                from("direct:impatient").to("bitrix24-crm:lead/delete?maxRetries=0&responseTimeout=300&connectTimeout=700");
            }
        };
    }

    @Test
    void headersAndBodyKeysCanSetIdsOnlyNeverTheHostMethodOrCredentials() {
        try (Bitrix24Emulator elsewhere = Bitrix24Emulator.builder().webhook(1, "elsewhere-code").start()) {
            int lead = portal.data().addLead("L", "NEW");
            int contact = portal.data().addContact("C");
            Map<String, Object> headers = new LinkedHashMap<>();
            headers.put(Exchange.HTTP_URI, elsewhere.webhookUrl() + "crm.contact.delete");
            headers.put(Exchange.HTTP_PATH, "/rest/1/elsewhere-code/crm.contact.delete");
            headers.put(Exchange.HTTP_METHOD, "GET");
            headers.put(Exchange.HTTP_QUERY, "id=" + contact);
            headers.put("Authorization", "Bearer stolen-token");
            headers.put("auth", "stolen-token");
            headers.put("webhookUrl", elsewhere.webhookUrl());
            headers.put("CamelBitrix24CrmWebhookUrl", elsewhere.webhookUrl());
            headers.put("CamelBitrix24CrmAccessToken", "stolen-token");
            headers.put(Bitrix24CrmConstants.METHOD, "crm.contact.delete");
            headers.put("CamelBitrix24CrmOperation", "contact/delete");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", lead);
            body.put("auth", "stolen-token");
            body.put("method", "crm.contact.delete");
            body.put("entityTypeId", 3);
            body.put("fields", Map.of("CONTACT_ID", contact));

            Exchange exchange = template.request("direct:lead", e -> {
                e.getMessage().setBody(body);
                e.getMessage().setHeaders(new LinkedHashMap<>(headers));
            });

            assertNull(exchange.getException());
            assertEquals(0, elsewhere.requests().total(), "nothing went to the other host");
            assertEquals(1, portal.requests().total());
            RecordedRequest sent = portal.requests().last();
            assertEquals("crm.lead.delete", sent.method());
            assertEquals(Map.of("id", lead), sent.params(), "only the id, as a JSON number; no auth, no extra keys");
            assertTrue(sent.contentType().startsWith("application/json"), sent.contentType());
            assertFalse(portal.data().hasLead(lead));
            assertTrue(portal.data().hasContact(contact), "the contact named by headers and body is untouched");
            assertEquals("crm.lead.delete", exchange.getMessage().getHeader(Bitrix24CrmConstants.METHOD),
                    "the method header is an output, overwritten with what was called");
        }
    }

    @Test
    void anIdThatTriesToCarryAQueryIsRefusedBeforeAnythingIsSent() {
        for (Object id : List.of("1&id=2", "1?auth=x", "1%26id%3D2", "1/../crm.contact.delete", "1 OR 1=1")) {
            Exchange exchange = template.request("direct:lead", e -> e.getMessage().setHeader(Bitrix24CrmConstants.ID, id));
            Bitrix24ValidationException e = assertInstanceOf(Bitrix24ValidationException.class, exchange.getException());
            assertTrue(e.getMessage().contains(Bitrix24CrmConstants.ID), e.getMessage());
        }
        assertEquals(0, portal.requests().total());
    }

    @Test
    void anAnswerThatNeverEndsFailsAtTheDeadlineAsAServerError() {
        int lead = portal.data().addLead("L", "NEW");
        portal.script(Answer.endless());
        long start = System.nanoTime();
        Exchange exchange = template.request("direct:impatient", e -> e.getMessage().setBody(lead));
        long millis = (System.nanoTime() - start) / 1_000_000;

        Bitrix24ServerException e = assertInstanceOf(Bitrix24ServerException.class, exchange.getException());
        assertTrue(e.getMessage().contains("no answer within the response timeout"), e.getMessage());
        assertTrue(e.isOutcomeUnknown(), "a 200 had started: the delete may have run");
        // each byte came within the 300 ms read timeout; the deadline (connect + response timeout) ended it
        assertTrue(millis >= 900 && millis < 5_000, "ended after " + millis + " ms");
    }

    @Test
    void jmxNamesAndEndpointAttributesCarryNoSecret() throws Exception {
        String code = "JmxCanaryWebhookCode";
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        // Camel's test support turns JMX off for every context of this JVM; this test needs it on
        boolean jmxWasDisabled = DefaultCamelContext.isDisableJmx();
        DefaultCamelContext.setDisableJmx(false);
        try (Bitrix24Emulator jmxPortal = Bitrix24Emulator.builder().webhook(1, code).start();
             CamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().addInitialProperty("webhook", jmxPortal.webhookUrl());
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:jmx").routeId("jmx-route")
                            .to("bitrix24-crm:lead/delete?allowInsecureHttp=true&webhookUrl={{webhook}}");
                    from("direct:jmxRaw").routeId("jmx-route-raw")
                            .to("bitrix24-crm:contact/delete?allowInsecureHttp=true&webhookUrl=RAW(" + jmxPortal.webhookUrl()
                                + ")");
                }
            });
            context.start();
            int lead = jmxPortal.data().addLead("L", "NEW");
            assertNull(context.createProducerTemplate().request("direct:jmx", e -> e.getMessage().setBody(lead))
                    .getException());

            Set<ObjectName> names = server.queryNames(new ObjectName("org.apache.camel:context=" + context.getName() + ",*"),
                    null);
            List<String> printed = new ArrayList<>();
            boolean endpointSeen = false;
            for (ObjectName name : names) {
                printed.add(name.toString());
                if ("endpoints".equals(name.getKeyProperty("type")) && name.toString().contains("bitrix24-crm")) {
                    endpointSeen = true;
                }
                for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                    if (attribute.isReadable() && attribute.getType().equals(String.class.getName())) {
                        try {
                            printed.add(name + " " + attribute.getName() + "=" + server.getAttribute(name, attribute.getName()));
                        } catch (Exception unreadable) {
                            // some attributes throw when the feature behind them is off
                        }
                    }
                }
            }
            assertTrue(endpointSeen, "the component's endpoints are registered in JMX: " + names);
            for (String line : printed) {
                assertFalse(line.contains(code), () -> "the webhook code is in JMX: " + line.replace(code, "<SECRET>"));
            }
        } finally {
            DefaultCamelContext.setDisableJmx(jmxWasDisabled);
        }
    }
}
