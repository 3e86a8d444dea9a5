package io.camelbitrix24.crm;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.camelbitrix24.emulator.RecordedRequest;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every endpoint's success path through a route, the input forms, and what is written back. */
class Bitrix24CrmEndpointsTest extends Bitrix24TestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:lead").to("bitrix24-crm:lead/delete").to("mock:lead");
                from("direct:contact").to("bitrix24-crm:contact/delete").to("mock:contact");
                from("direct:unbind").to("bitrix24-crm:lead-contact/delete").to("mock:unbind");
                from("direct:unbindAll").to("bitrix24-crm:lead-contact/items-delete").to("mock:unbindAll");
                from("direct:itemLead").to("bitrix24-crm:lead/delete?useItemApi=true").to("mock:itemLead");
                from("direct:itemContact").to("bitrix24-crm:contact/delete?useItemApi=true").to("mock:itemContact");
                from("direct:ownAgent").to("bitrix24-crm:lead/delete?userAgent=acme-sync/2.1");
                from("direct:twoConnections").to("bitrix24-crm:lead/delete?maxConnections=2&coalesce=false");
                from("direct:singleCalls").to("bitrix24-crm:lead/delete?coalesce=false");
            }
        };
    }

    @Test
    void leadDeleteRemovesTheLeadAndSetsResultHeaders() throws Exception {
        int lead = portal.data().addLead("To delete", "NEW");
        int kept = portal.data().addLead("To keep", "NEW");
        MockEndpoint mock = getMockEndpoint("mock:lead");
        mock.expectedMessageCount(1);

        template.sendBodyAndHeader("direct:lead", null, Bitrix24CrmConstants.ID, lead);

        mock.assertIsSatisfied();
        Exchange out = mock.getReceivedExchanges().get(0);
        assertEquals(Boolean.TRUE, out.getMessage().getBody());
        assertEquals(Boolean.TRUE, out.getMessage().getHeader(Bitrix24CrmConstants.RESULT));
        assertEquals("crm.lead.delete", out.getMessage().getHeader(Bitrix24CrmConstants.METHOD));
        assertNotNull(out.getMessage().getHeader(Bitrix24CrmConstants.OPERATING, Double.class));
        long resetAt = out.getMessage().getHeader(Bitrix24CrmConstants.OPERATING_RESET_AT, Long.class);
        assertTrue(resetAt > System.currentTimeMillis() / 1000, "reset time in the future: " + resetAt);
        assertFalse(portal.data().hasLead(lead));
        assertTrue(portal.data().hasLead(kept));

        RecordedRequest sent = portal.requests().last();
        assertEquals("crm.lead.delete", sent.method());
        assertEquals(Map.of("id", lead), sent.params());
        // the version the build wrote, not a constant that drifts from the pom
        assertEquals("camel-bitrix24-crm/" + System.getProperty("project.version"), sent.userAgent());
        assertTrue(sent.contentType().startsWith("application/json"), sent.contentType());
    }

    @Test
    void theUserAgentCanBeSet() {
        int lead = portal.data().addLead("L", "NEW");
        assertNull(template.request("direct:ownAgent", e -> e.getMessage().setBody(lead)).getException());
        assertEquals("acme-sync/2.1", portal.requests().last().userAgent());
    }

    @Test
    void maxConnectionsBoundsTheCallsAtThePortalAtOnce() throws Exception {
        assertEquals(2, peakAtThePortal("direct:twoConnections", 8, 2), "maxConnections=2");
        assertEquals(8, peakAtThePortal("direct:singleCalls", 8, 8), "the default, 64");
    }

    /**
     * Sends {@code calls} deletes at once; the portal holds its answers until {@code expected} of them are in, so
     * however slowly they come they overlap, then for 300 ms more, long enough for more than {@code expected} to show
     * up if the component sent them: how many the portal was answering at once.
     */
    private int peakAtThePortal(String route, int calls, int expected) throws Exception {
        portal.requests().reset();
        java.util.concurrent.CompletableFuture<Void> release = new java.util.concurrent.CompletableFuture<>();
        portal.holdAnswers(release);
        List<java.util.concurrent.CompletableFuture<Exchange>> sent = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < calls; i++) {
                int lead = portal.data().addLead("L" + i, "NEW");
                sent.add(template.asyncSend(route, e -> e.getMessage().setBody(lead)));
            }
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (portal.requests().inFlight() < expected && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(expected, portal.requests().inFlight(), "requests in at the portal, answers held");
            // more than expected would come now, all of them sent at once
            Thread.sleep(300);
        } finally {
            release.complete(null);
            portal.holdAnswers(null);
        }
        for (java.util.concurrent.CompletableFuture<Exchange> call : sent) {
            assertNull(call.get(30, java.util.concurrent.TimeUnit.SECONDS).getException());
        }
        return portal.requests().peakInFlight();
    }

    @Test
    void contactDeleteRemovesTheContactAndItsBindings() throws Exception {
        int lead = portal.data().addLead("L", "NEW");
        int contact = portal.data().addContact("C");
        portal.data().bindContact(lead, contact);
        getMockEndpoint("mock:contact").expectedBodiesReceived(true);

        template.sendBody("direct:contact", contact);

        MockEndpoint.assertIsSatisfied(context);
        assertFalse(portal.data().hasContact(contact));
        assertEquals(List.of(), portal.data().contactsOfLead(lead));
        assertEquals(1, portal.requests().count("crm.contact.delete"));
    }

    @Test
    void leadContactDeleteUnbindsOneContact() throws Exception {
        int lead = portal.data().addLead("L", "NEW");
        int first = portal.data().addContact("C1");
        int second = portal.data().addContact("C2");
        portal.data().bindContact(lead, first);
        portal.data().bindContact(lead, second);
        getMockEndpoint("mock:unbind").expectedBodiesReceived(true);

        template.sendBodyAndHeader("direct:unbind", Map.of("id", lead), Bitrix24CrmConstants.CONTACT_ID, first);

        MockEndpoint.assertIsSatisfied(context);
        assertEquals(List.of(second), portal.data().contactsOfLead(lead));
        assertTrue(portal.data().hasContact(first), "unbinding keeps the contact");
        assertEquals(Map.of("id", lead, "fields", Map.of("CONTACT_ID", first)), portal.requests().last().params());
    }

    @Test
    void leadContactDeleteOfAnUnboundContactAnswersFalse() throws Exception {
        int lead = portal.data().addLead("L", "NEW");
        int contact = portal.data().addContact("C");
        MockEndpoint mock = getMockEndpoint("mock:unbind");
        mock.expectedBodiesReceived(false);
        mock.expectedHeaderReceived(Bitrix24CrmConstants.RESULT, false);

        template.sendBody("direct:unbind", "{\"id\": " + lead + ", \"fields\": {\"CONTACT_ID\": " + contact + "}}");

        mock.assertIsSatisfied();
    }

    @Test
    void leadContactItemsDeleteUnbindsEveryContact() throws Exception {
        int lead = portal.data().addLead("L", "NEW");
        portal.data().bindContact(lead, portal.data().addContact("C1"));
        portal.data().bindContact(lead, portal.data().addContact("C2"));
        getMockEndpoint("mock:unbindAll").expectedBodiesReceived(true);

        template.sendBody("direct:unbindAll", String.valueOf(lead));

        MockEndpoint.assertIsSatisfied(context);
        assertEquals(List.of(), portal.data().contactsOfLead(lead));
        assertTrue(portal.data().hasLead(lead));
        assertEquals(1, portal.requests().count("crm.lead.contact.items.delete"));
    }

    @Test
    void useItemApiSendsCrmItemDeleteWithEntityTypeIds() throws Exception {
        int lead = portal.data().addLead("L", "NEW");
        int contact = portal.data().addContact("C");
        getMockEndpoint("mock:itemLead").expectedBodiesReceived(true);
        getMockEndpoint("mock:itemContact").expectedBodiesReceived(true);
        getMockEndpoint("mock:itemContact").expectedHeaderReceived(Bitrix24CrmConstants.METHOD, "crm.item.delete");

        template.sendBody("direct:itemLead", lead);
        RecordedRequest leadCall = portal.requests().last();
        template.sendBody("direct:itemContact", contact);
        RecordedRequest contactCall = portal.requests().last();

        MockEndpoint.assertIsSatisfied(context);
        assertEquals("crm.item.delete", leadCall.method());
        assertEquals(Map.of("entityTypeId", 1, "id", lead), leadCall.params());
        assertEquals(Map.of("entityTypeId", 3, "id", contact), contactCall.params());
        assertFalse(portal.data().hasLead(lead));
        assertFalse(portal.data().hasContact(contact));
        assertEquals(0, portal.requests().count("crm.lead.delete") + portal.requests().count("crm.contact.delete"));
    }

    @Test
    void headerTakesPrecedenceOverBody() {
        int fromHeader = portal.data().addLead("header", "NEW");
        int fromBody = portal.data().addLead("body", "NEW");

        Exchange out = send("direct:lead", fromBody, fromHeader, null);

        assertNull(out.getException());
        assertFalse(portal.data().hasLead(fromHeader));
        assertTrue(portal.data().hasLead(fromBody));
    }

    @Test
    void contactIdHeaderTakesPrecedenceOverBody() {
        int lead = portal.data().addLead("L", "NEW");
        int inHeader = portal.data().addContact("header");
        int inBody = portal.data().addContact("body");
        portal.data().bindContact(lead, inHeader);
        portal.data().bindContact(lead, inBody);

        Exchange out = send("direct:unbind", Map.of("id", lead, "contactId", inBody), null, inHeader);

        assertNull(out.getException());
        assertEquals(List.of(inBody), portal.data().contactsOfLead(lead));
    }

    @Test
    void everyBodyFormCarriesTheId() {
        List<java.util.function.IntFunction<Object>> forms = List.of(
                id -> id,
                id -> (long) id,
                id -> String.valueOf(id),
                id -> " " + id + "\n",
                id -> Map.of("id", id),
                id -> Map.of("ID", String.valueOf(id)),
                id -> "{\"id\": " + id + "}",
                id -> "{\"ID\": \"" + id + "\"}",
                id -> ("{\"id\": " + id + "}").getBytes(StandardCharsets.UTF_8),
                id -> new ByteArrayInputStream(("{\"id\": " + id + "}").getBytes(StandardCharsets.UTF_8)),
                id -> String.valueOf(id).getBytes(StandardCharsets.UTF_8));
        for (java.util.function.IntFunction<Object> form : forms) {
            int lead = portal.data().addLead("L", "NEW");
            Object body = form.apply(lead);
            Exchange out = send("direct:lead", body, null, null);
            assertNull(out.getException(), () -> "body form " + body.getClass().getSimpleName());
            assertFalse(portal.data().hasLead(lead), () -> "body form " + body.getClass().getSimpleName());
        }
        assertEquals(forms.size(), portal.requests().count("crm.lead.delete"));
    }

    @Test
    void contactIdBodyForms() {
        List<java.util.function.BiFunction<Integer, Integer, Object>> forms = List.of(
                (lead, contact) -> Map.of("id", lead, "contactId", contact),
                (lead, contact) -> Map.of("ID", lead, "CONTACT_ID", contact),
                (lead, contact) -> Map.of("id", lead, "fields", Map.of("CONTACT_ID", contact)),
                (lead, contact) -> "{\"id\":" + lead + ",\"contactId\":\"" + contact + "\"}",
                (lead, contact) -> "{\"id\":" + lead + ",\"fields\":{\"CONTACT_ID\":" + contact + "}}");
        for (var form : forms) {
            int lead = portal.data().addLead("L", "NEW");
            int contact = portal.data().addContact("C");
            portal.data().bindContact(lead, contact);
            Object body = form.apply(lead, contact);
            Exchange out = send("direct:unbind", body, null, null);
            assertNull(out.getException(), () -> "body " + body);
            assertEquals(Boolean.TRUE, out.getMessage().getBody(), () -> "body " + body);
            assertEquals(List.of(), portal.data().contactsOfLead(lead), () -> "body " + body);
        }
    }
}
