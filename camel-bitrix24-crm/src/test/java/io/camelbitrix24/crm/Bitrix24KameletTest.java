package io.camelbitrix24.crm;

import java.util.List;
import java.util.Map;

import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sink Kamelets shipped under kamelets/, loaded by camel-kamelet from the class path, against the emulator. */
class Bitrix24KameletTest {

    @Test
    void everySinkKameletDeletesInTheEmulator() throws Exception {
        try (Bitrix24Emulator portal = Bitrix24Emulator.builder().start();
             CamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().addInitialProperty("bitrix24.webhookUrl", portal.webhookUrl());
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    String options = "?webhookUrl={{bitrix24.webhookUrl}}&allowInsecureHttp=true";
                    from("direct:lead").to("kamelet:bitrix24-crm-lead-delete-sink" + options);
                    from("direct:leadItem").to("kamelet:bitrix24-crm-lead-delete-sink" + options + "&useItemApi=true");
                    from("direct:contact").to("kamelet:bitrix24-crm-contact-delete-sink" + options);
                    from("direct:unbind").to("kamelet:bitrix24-crm-lead-contact-delete-sink" + options);
                    from("direct:unbindAll").to("kamelet:bitrix24-crm-lead-contact-items-delete-sink" + options);
                    from("direct:deal").to("kamelet:bitrix24-crm-deal-delete-sink" + options);
                    from("direct:dealItem").to("kamelet:bitrix24-crm-deal-delete-sink" + options + "&useItemApi=true");
                    from("direct:company").to("kamelet:bitrix24-crm-company-delete-sink" + options);
                    from("direct:companyItem")
                            .to("kamelet:bitrix24-crm-company-delete-sink" + options + "&useItemApi=true");
                    from("direct:smartProcess")
                            .to("kamelet:bitrix24-crm-item-delete-sink" + options + "&entityTypeId=1038");
                }
            });
            context.start();
            ProducerTemplate template = context.createProducerTemplate();

            int lead = portal.data().addLead("L", "NEW");
            int itemLead = portal.data().addLead("L2", "NEW");
            int contact = portal.data().addContact("C");
            int bound = portal.data().addLead("with contacts", "NEW");
            int first = portal.data().addContact("C1");
            int second = portal.data().addContact("C2");
            int third = portal.data().addContact("C3");
            portal.data().bindContact(bound, first);
            portal.data().bindContact(bound, second);
            int other = portal.data().addLead("with one contact", "NEW");
            portal.data().bindContact(other, third);
            int deal = portal.data().addDeal("D");
            int itemDeal = portal.data().addDeal("D2");
            int company = portal.data().addCompany("Co");
            int itemCompany = portal.data().addCompany("Co2");
            portal.data().addSmartProcess(1038);
            int smartItem = portal.data().addItem(1038, "S");

            // JSON bodies, as a Kamelet binding delivers them, and a header
            assertNull(send(template, "direct:lead", "{\"id\": " + lead + "}", Map.of()).getException());
            assertNull(send(template, "direct:leadItem", "{\"id\": \"" + itemLead + "\"}", Map.of()).getException());
            assertNull(send(template, "direct:contact", null, Map.of(Bitrix24CrmConstants.ID, contact)).getException());
            assertNull(send(template, "direct:unbind", "{\"id\": " + bound + ", \"contactId\": " + first + "}", Map.of())
                    .getException());
            assertNull(send(template, "direct:unbindAll", "{\"id\": " + other + "}", Map.of()).getException());
            assertNull(send(template, "direct:deal", "{\"id\": " + deal + "}", Map.of()).getException());
            assertNull(send(template, "direct:dealItem", String.valueOf(itemDeal), Map.of()).getException());
            assertNull(send(template, "direct:company", null, Map.of(Bitrix24CrmConstants.ID, company)).getException());
            assertNull(send(template, "direct:companyItem", "{\"id\": " + itemCompany + "}", Map.of()).getException());
            assertNull(send(template, "direct:smartProcess", "{\"id\": " + smartItem + "}", Map.of()).getException());

            assertFalse(portal.data().hasLead(lead));
            assertFalse(portal.data().hasLead(itemLead));
            assertFalse(portal.data().hasDeal(deal));
            assertFalse(portal.data().hasDeal(itemDeal));
            assertFalse(portal.data().hasCompany(company));
            assertFalse(portal.data().hasCompany(itemCompany));
            assertFalse(portal.data().hasItem(1038, smartItem));
            assertEquals(1, portal.requests().count("crm.deal.delete"));
            assertEquals(1, portal.requests().count("crm.company.delete"));
            // the lead, the deal and the company with useItemApi, and the smart process item
            assertEquals(4, portal.requests().count("crm.item.delete"));
            assertFalse(portal.data().hasContact(contact));
            assertEquals(List.of(second), portal.data().contactsOfLead(bound));
            assertEquals(List.of(), portal.data().contactsOfLead(other));
            assertTrue(portal.data().hasContact(first), "unbinding keeps the contact");
        }
    }

    /**
     * The item sink's entity type: its entityTypeId property where the message names none, else the message's header
     * or body key; without the property a message that names no type fails, and nothing is sent.
     */
    @Test
    void theItemSinkTakesTheEntityTypeFromItsPropertyOrTheMessage() throws Exception {
        try (Bitrix24Emulator portal = Bitrix24Emulator.builder().start();
             CamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().addInitialProperty("bitrix24.webhookUrl", portal.webhookUrl());
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    String options = "?webhookUrl={{bitrix24.webhookUrl}}&allowInsecureHttp=true";
                    from("direct:leads").to("kamelet:bitrix24-crm-item-delete-sink" + options + "&entityTypeId=1");
                    from("direct:anyType").to("kamelet:bitrix24-crm-item-delete-sink" + options);
                }
            });
            context.start();
            ProducerTemplate template = context.createProducerTemplate();

            int lead = portal.data().addLead("by the property", "NEW");
            int headerContact = portal.data().addContact("by the header");
            int bodyLead = portal.data().addLead("by the body", "NEW");
            int untyped = portal.data().addLead("no type named", "NEW");

            assertNull(send(template, "direct:leads", "{\"id\": " + lead + "}", Map.of()).getException());
            // the header overrides the property
            assertNull(send(template, "direct:leads", "{\"id\": " + headerContact + "}",
                    Map.of(Bitrix24CrmConstants.ENTITY_TYPE_ID, 3)).getException());
            assertNull(send(template, "direct:anyType", "{\"id\": " + bodyLead + ", \"entityTypeId\": 1}", Map.of())
                    .getException());
            Exchange failed = send(template, "direct:anyType", "{\"id\": " + untyped + "}", Map.of());

            assertFalse(portal.data().hasLead(lead));
            assertFalse(portal.data().hasContact(headerContact));
            assertFalse(portal.data().hasLead(bodyLead));
            assertInstanceOf(Bitrix24ValidationException.class, failed.getException());
            assertTrue(failed.getException().getMessage().contains("Missing entityTypeId"),
                    failed.getException().getMessage());
            assertTrue(portal.data().hasLead(untyped), "nothing sent without a type");
            assertEquals(3, portal.requests().count("crm.item.delete"));
        }
    }

    private static Exchange send(ProducerTemplate template, String uri, Object body, Map<String, Object> headers) {
        return template.request(uri, e -> {
            e.getMessage().setBody(body);
            e.getMessage().setHeaders(new java.util.HashMap<>(headers));
        });
    }
}
