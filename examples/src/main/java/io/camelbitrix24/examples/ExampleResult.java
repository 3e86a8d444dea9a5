package io.camelbitrix24.examples;

import java.nio.file.Path;
import java.util.List;

import io.camelbitrix24.emulator.PortalData;
import io.camelbitrix24.emulator.RequestLog;

/** What an example left behind: the portal's records and calls, its working directory, and its dead letters. */
public record ExampleResult(String example, Path dir, List<Integer> leads, List<Integer> contacts,
                            List<Integer> contactsOfLead9, List<Integer> contactsOfLead10, List<Integer> contactsOfLead1,
                            long leadDeletes, long plainLeadDeletes, long batchCalls, long leadLists, long unbindAllCalls,
                            List<EmbeddedBroker.DeadLetter> deadLetters, String portalState) {

    static ExampleResult of(String example, Path dir, ExamplePortal portal, List<EmbeddedBroker.DeadLetter> deadLetters) {
        return of(example, dir, portal, deadLetters, portal.state());
    }

    /** As above, with what the summary says of the portal. */
    static ExampleResult of(String example, Path dir, ExamplePortal portal, List<EmbeddedBroker.DeadLetter> deadLetters,
                            String portalState) {
        PortalData data = portal.emulator().data();
        RequestLog requests = portal.emulator().requests();
        return new ExampleResult(example, dir, data.leadIds(), data.contactIds(),
                data.contactsOfLead(ExamplePortal.JUNK_LEAD_A), data.contactsOfLead(ExamplePortal.JUNK_LEAD_B),
                data.contactsOfLead(1), requests.commands("crm.lead.delete"), requests.count("crm.lead.delete"),
                requests.count("batch"),
                requests.count("crm.lead.list"), requests.count("crm.lead.contact.items.delete"), deadLetters,
                portalState);
    }

    public String summary() {
        StringBuilder text = new StringBuilder("\n=== example '" + example + "' ===\nportal: " + portalState + "\n");
        if (!deadLetters.isEmpty()) {
            text.append("dead letter queue (").append(deadLetters.size()).append("):\n");
            deadLetters.forEach(d -> text.append("  ").append(d.body()).append("  <- ").append(d.failure()).append('\n'));
        }
        text.append("files: ").append(dir).append('\n');
        return text.toString();
    }
}
