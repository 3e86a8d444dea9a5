package io.camelbitrix24.examples;

import io.camelbitrix24.emulator.Bitrix24Emulator;

/**
 * The embedded Bitrix24 portal the examples run against: leads 1-8 in status NEW, junk leads 9 and 10 with contacts
 * bound to them, lead 1 bound to contact 4, contacts 1-6, and {@code extraLeads} more leads (11, 12, ...) for the queue.
 * Plain HTTP on loopback, with the standalone emulator's documented webhook.
 */
public final class ExamplePortal implements AutoCloseable {

    public static final int JUNK_LEAD_A = 9;
    public static final int JUNK_LEAD_B = 10;

    private final Bitrix24Emulator portal;

    public ExamplePortal(int extraLeads) {
        portal = Bitrix24Emulator.builder().webhook(1, "local-emulator").start();
        for (int i = 1; i <= 8; i++) {
            portal.data().addLead("Lead " + i, "NEW");
        }
        portal.data().addLead("Junk lead 9", "JUNK");
        portal.data().addLead("Junk lead 10", "JUNK");
        for (int i = 1; i <= 6; i++) {
            portal.data().addContact("Contact " + i);
        }
        portal.data().bindContact(JUNK_LEAD_A, 1);
        portal.data().bindContact(JUNK_LEAD_A, 2);
        portal.data().bindContact(JUNK_LEAD_B, 3);
        portal.data().bindContact(1, 4);
        for (int i = 0; i < extraLeads; i++) {
            portal.data().addLead("Queued lead " + (11 + i), "NEW");
        }
    }

    public Bitrix24Emulator emulator() {
        return portal;
    }

    /** What the portal holds now, for the examples' summaries. */
    public String state() {
        var data = portal.data();
        return "leads left " + data.leadCount() + (data.leadCount() <= 20 ? " " + data.leadIds() : "") + ", contacts left "
               + data.contactIds() + ", contacts of lead 9 " + data.contactsOfLead(JUNK_LEAD_A) + ", of lead 10 "
               + data.contactsOfLead(JUNK_LEAD_B) + ", of lead 1 " + data.contactsOfLead(1) + "; calls: "
               + portal.requests().commands("crm.lead.delete") + " crm.lead.delete (alone or in batches), "
               + portal.requests().count("crm.contact.delete") + " crm.contact.delete, "
               + portal.requests().count("batch") + " batch, " + portal.requests().count("crm.lead.list")
               + " crm.lead.list, " + portal.requests().count("crm.lead.contact.items.delete")
               + " crm.lead.contact.items.delete";
    }

    @Override
    public void close() {
        portal.close();
    }
}
