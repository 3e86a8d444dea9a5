package io.camelbitrix24.examples;

import java.util.List;

import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each Pipe under {@code pipes/} (a {@code kind: Pipe} as Camel K runs it) run by plain Camel Main with the YAML DSL,
 * camel-kamelet and Apache's Kamelet catalog 4.18: the timer's one message reaches the Bitrix24 sink Kamelet, and the
 * portal shows it.
 */
class PipesTest {

    private static final String CODE = "p1pesW3bhook";

    /** Runs one Pipe until its one message has gone through; answers the portal it ran against. */
    private static Bitrix24Emulator run(String pipe, Bitrix24Emulator portal) throws Exception {
        Main main = new Main();
        main.addInitialProperty("bitrix24.webhookUrl", portal.webhookUrl());
        main.configure().withRoutesIncludePattern("classpath:pipes/" + pipe + ".pipe.yaml")
                .withDurationMaxMessages(1).withDurationMaxSeconds(30);
        main.run();
        return portal;
    }

    private static Bitrix24Emulator portal() {
        Bitrix24Emulator portal = Bitrix24Emulator.builder().webhook(1, CODE).seedLeads(5).seedContacts(4).start();
        portal.data().bindContact(1, 2);
        portal.data().bindContact(1, 3);
        portal.data().bindContact(4, 1);
        portal.data().bindContact(4, 2);
        return portal;
    }

    @Test
    void timerToLeadDelete() throws Exception {
        try (Bitrix24Emulator portal = run("timer-to-bitrix24-crm-lead-delete", portal())) {
            assertEquals(List.of(1, 2, 3, 4), portal.data().leadIds(), "lead 5 deleted");
            assertEquals(1, portal.requests().count("crm.lead.delete"));
        }
    }

    @Test
    void timerToContactDelete() throws Exception {
        try (Bitrix24Emulator portal = run("timer-to-bitrix24-crm-contact-delete", portal())) {
            assertFalse(portal.data().hasContact(3), "contact 3 deleted");
            assertEquals(3, portal.data().contactCount());
        }
    }

    @Test
    void timerToLeadContactDelete() throws Exception {
        try (Bitrix24Emulator portal = run("timer-to-bitrix24-crm-lead-contact-delete", portal())) {
            assertEquals(List.of(3), portal.data().contactsOfLead(1), "contact 2 unbound from lead 1");
            assertTrue(portal.data().hasContact(2), "unbound, not deleted");
        }
    }

    @Test
    void timerToLeadContactItemsDelete() throws Exception {
        try (Bitrix24Emulator portal = run("timer-to-bitrix24-crm-lead-contact-items-delete", portal())) {
            assertEquals(List.of(), portal.data().contactsOfLead(4), "every contact of lead 4 unbound");
            assertEquals(List.of(2, 3), portal.data().contactsOfLead(1), "lead 1 untouched");
        }
    }

    @Test
    void timerToDealDelete() throws Exception {
        Bitrix24Emulator seeded = portal();
        for (int i = 0; i < 5; i++) {
            seeded.data().addDeal("Deal " + i);
        }
        try (Bitrix24Emulator portal = run("timer-to-bitrix24-crm-deal-delete", seeded)) {
            assertFalse(portal.data().hasDeal(5), "deal 5 deleted");
            assertEquals(4, portal.data().count(2));
            assertEquals(5, portal.data().leadCount(), "no lead touched");
        }
    }

    @Test
    void timerToCompanyDelete() throws Exception {
        Bitrix24Emulator seeded = portal();
        seeded.data().addCompany("A");
        seeded.data().addCompany("B");
        try (Bitrix24Emulator portal = run("timer-to-bitrix24-crm-company-delete", seeded)) {
            assertFalse(portal.data().hasCompany(2), "company 2 deleted");
            assertTrue(portal.data().hasCompany(1));
        }
    }

    @Test
    void timerToItemDeleteOfTheSmartProcessThePipeNames() throws Exception {
        Bitrix24Emulator seeded = portal();
        seeded.data().addSmartProcess(1038);
        seeded.data().addItem(1038, "Shipment");
        seeded.data().addItem(31, "Invoice");
        try (Bitrix24Emulator portal = run("timer-to-bitrix24-crm-item-delete", seeded)) {
            assertFalse(portal.data().hasItem(1038, 1), "item 1 of smart process 1038 deleted");
            assertTrue(portal.data().hasItem(31, 1), "the smart invoice of the same id kept");
        }
    }
}
