package io.camelbitrix24.examples;

import java.util.List;

import io.camelbitrix24.emulator.Bitrix24Emulator;

/** What the demo left in the portal, and how many calls each method received. */
public record DemoResult(List<Integer> leads, List<Integer> contacts, List<Integer> contactsOfJunkLead9,
                         List<Integer> contactsOfJunkLead10, List<Integer> contactsOfLead1, long leadDeletes,
                         long contactDeletes, long unbindAllCalls) {

    static DemoResult of(Bitrix24Emulator portal) {
        return new DemoResult(portal.data().leadIds(), portal.data().contactIds(), portal.data().contactsOfLead(9),
                portal.data().contactsOfLead(10), portal.data().contactsOfLead(1),
                portal.requests().count("crm.lead.delete"), portal.requests().count("crm.contact.delete"),
                portal.requests().count("crm.lead.contact.items.delete"));
    }

    /** Leads 2, 3, 5 deleted (4 calls: 3 twice, 12abc never sent); contacts 5, 6 deleted; junk leads unbound. */
    public boolean asExpected() {
        return leads.equals(List.of(1, 4, 6, 7, 8, 9, 10))
               && contacts.equals(List.of(1, 2, 3, 4))
               && contactsOfJunkLead9.isEmpty() && contactsOfJunkLead10.isEmpty()
               && contactsOfLead1.equals(List.of(4))
               && leadDeletes == 4 && contactDeletes == 2 && unbindAllCalls == 2;
    }

    public String summary() {
        return String.join(System.lineSeparator(),
                "",
                "=== Bitrix24 demo portal after the run ===",
                "leads left:         " + leads + "   (2, 3, 5 deleted)",
                "contacts left:      " + contacts + "   (5, 6 deleted)",
                "contacts of lead 9: " + contactsOfJunkLead9 + ", of lead 10: " + contactsOfJunkLead10
                                       + "   (junk leads unbound), of lead 1: " + contactsOfLead1,
                "calls received:     crm.lead.delete x" + leadDeletes + ", crm.contact.delete x" + contactDeletes
                                       + ", crm.lead.contact.items.delete x" + unbindAllCalls,
                "result:             " + (asExpected() ? "as expected" : "NOT as expected"),
                "");
    }
}
