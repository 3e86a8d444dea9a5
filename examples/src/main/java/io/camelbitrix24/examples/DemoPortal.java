package io.camelbitrix24.examples;

import java.util.List;

import io.camelbitrix24.emulator.Bitrix24Emulator;

/**
 * The embedded Bitrix24 portal of the demo: eight new leads, two junk leads with contacts bound to them, and six
 * contacts. It also answers the timer route's question, which junk leads there are, as a CRM list call would.
 */
public final class DemoPortal implements AutoCloseable {

    private final Bitrix24Emulator portal;

    public DemoPortal() {
        portal = Bitrix24Emulator.builder().start();
        for (int i = 1; i <= 8; i++) {
            portal.data().addLead("Lead " + i, "NEW");
        }
        int junk1 = portal.data().addLead("Junk lead 9", "JUNK");
        int junk2 = portal.data().addLead("Junk lead 10", "JUNK");
        for (int i = 1; i <= 6; i++) {
            portal.data().addContact("Contact " + i);
        }
        portal.data().bindContact(junk1, 1);
        portal.data().bindContact(junk1, 2);
        portal.data().bindContact(junk2, 3);
        portal.data().bindContact(1, 4);
    }

    public Bitrix24Emulator emulator() {
        return portal;
    }

    /** The ids of the leads in status JUNK: the timer route's work list. */
    public List<Integer> junkLeadIds() {
        return portal.data().leadIdsWithStatus("JUNK");
    }

    @Override
    public void close() {
        portal.close();
    }
}
