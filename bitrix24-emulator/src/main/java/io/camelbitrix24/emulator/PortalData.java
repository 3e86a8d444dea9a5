package io.camelbitrix24.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CRM data of one emulated portal: leads, contacts and the contacts bound to each lead. Thread-safe; every method
 * holds the portal's lock, so a delete and the removal of its bindings are one step.
 */
public final class PortalData {

    private final Map<Integer, Map<String, Object>> leads = new LinkedHashMap<>();
    private final Map<Integer, Map<String, Object>> contacts = new LinkedHashMap<>();
    private final Map<Integer, Set<Integer>> leadContacts = new LinkedHashMap<>();
    private int nextLeadId = 1;
    private int nextContactId = 1;

    public synchronized int addLead(String title, String statusId) {
        int id = nextLeadId++;
        Map<String, Object> lead = new LinkedHashMap<>();
        lead.put("ID", String.valueOf(id));
        lead.put("TITLE", title);
        lead.put("STATUS_ID", statusId == null ? "NEW" : statusId);
        leads.put(id, lead);
        return id;
    }

    public synchronized int addContact(String name) {
        return addContact(name, 0);
    }

    /**
     * A contact in category {@code categoryId}: 0 is the default contacts; others hold, for instance, the contractors
     * of inventory management, which {@code crm.contact.list} never lists.
     */
    public synchronized int addContact(String name, int categoryId) {
        int id = nextContactId++;
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("ID", String.valueOf(id));
        contact.put("NAME", name);
        contact.put("CATEGORY_ID", String.valueOf(categoryId));
        contacts.put(id, contact);
        return id;
    }

    /** Binds a contact to a lead; false when either does not exist. */
    public synchronized boolean bindContact(int leadId, int contactId) {
        if (!leads.containsKey(leadId) || !contacts.containsKey(contactId)) {
            return false;
        }
        leadContacts.computeIfAbsent(leadId, k -> new LinkedHashSet<>()).add(contactId);
        return true;
    }

    public synchronized boolean hasLead(int id) {
        return leads.containsKey(id);
    }

    public synchronized boolean hasContact(int id) {
        return contacts.containsKey(id);
    }

    public synchronized Map<String, Object> lead(int id) {
        Map<String, Object> lead = leads.get(id);
        return lead == null ? null : new LinkedHashMap<>(lead);
    }

    public synchronized Map<String, Object> contact(int id) {
        Map<String, Object> contact = contacts.get(id);
        return contact == null ? null : new LinkedHashMap<>(contact);
    }

    public synchronized List<Integer> leadIds() {
        return new ArrayList<>(leads.keySet());
    }

    public synchronized List<Integer> leadIdsWithStatus(String statusId) {
        List<Integer> ids = new ArrayList<>();
        leads.forEach((id, lead) -> {
            if (statusId.equals(lead.get("STATUS_ID"))) {
                ids.add(id);
            }
        });
        return ids;
    }

    public synchronized List<Integer> contactIds() {
        return new ArrayList<>(contacts.keySet());
    }

    public synchronized List<Integer> contactsOfLead(int leadId) {
        Set<Integer> bound = leadContacts.get(leadId);
        return bound == null ? List.of() : new ArrayList<>(bound);
    }

    public synchronized int leadCount() {
        return leads.size();
    }

    public synchronized int contactCount() {
        return contacts.size();
    }

    /** Deletes a lead with its contact bindings; false when there is no such lead. */
    public synchronized boolean deleteLead(int id) {
        if (leads.remove(id) == null) {
            return false;
        }
        leadContacts.remove(id);
        return true;
    }

    /** Deletes a contact and unbinds it from every lead; false when there is no such contact. */
    public synchronized boolean deleteContact(int id) {
        if (contacts.remove(id) == null) {
            return false;
        }
        leadContacts.values().forEach(bound -> bound.remove(id));
        return true;
    }

    /** Unbinds one contact from a lead; false when it was not bound. */
    public synchronized boolean unbindContact(int leadId, int contactId) {
        Set<Integer> bound = leadContacts.get(leadId);
        return bound != null && bound.remove(contactId);
    }

    /** Unbinds every contact of a lead. */
    public synchronized void unbindAllContacts(int leadId) {
        leadContacts.remove(leadId);
    }
}
