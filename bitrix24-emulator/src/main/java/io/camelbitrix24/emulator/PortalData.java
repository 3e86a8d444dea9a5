package io.camelbitrix24.emulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CRM data of one emulated portal: the records of each entity type (leads, deals, contacts, companies, quotes,
 * activities, smart invoices and the smart processes the portal declares), each type with its own id sequence, and the
 * bindings of contacts to leads, to deals and to companies. Thread-safe; every method holds the portal's lock, so a
 * delete and the removal of its bindings are one step.
 */
public final class PortalData {

    /** One record type: its records by id, in the order added, and its next id. */
    private static final class Records {
        private final Map<Integer, Map<String, Object>> byId = new LinkedHashMap<>();
        private int nextId = 1;
    }

    private final Map<Integer, Records> types = new HashMap<>();
    private final Set<Integer> declaredTypes = new LinkedHashSet<>();
    private final BindingTables bindings = new BindingTables();

    public synchronized int addLead(String title, String statusId) {
        return add(EntityTypes.LEAD, "TITLE", title, "STATUS_ID", statusId == null ? "NEW" : statusId);
    }

    public synchronized int addContact(String name) {
        return addContact(name, 0);
    }

    /**
     * A contact in category {@code categoryId}: 0 is the default contacts; others hold, for instance, the contractors
     * of inventory management, which {@code crm.contact.list} never lists.
     */
    public synchronized int addContact(String name, int categoryId) {
        return add(EntityTypes.CONTACT, "NAME", name, "CATEGORY_ID", String.valueOf(categoryId));
    }

    public synchronized int addDeal(String title) {
        return add(EntityTypes.DEAL, "TITLE", title, "CATEGORY_ID", "0");
    }

    public synchronized int addCompany(String title) {
        return addCompany(title, 0);
    }

    /** A company in category {@code categoryId}: as for contacts, {@code crm.company.list} lists category 0 only. */
    public synchronized int addCompany(String title, int categoryId) {
        return add(EntityTypes.COMPANY, "TITLE", title, "CATEGORY_ID", String.valueOf(categoryId));
    }

    public synchronized int addQuote(String title) {
        return add(EntityTypes.QUOTE, "TITLE", title);
    }

    public synchronized int addActivity(String subject) {
        return add(EntityTypes.ACTIVITY, "SUBJECT", subject);
    }

    /**
     * Declares a smart process (a dynamic type: 128-191, or an even id from 1030) the portal has; smart documents (36)
     * and e-signature documents (39) are declared the same way, as a portal has them only with their modules.
     */
    public synchronized void addSmartProcess(int entityTypeId) {
        if (!EntityTypes.isDeclarable(entityTypeId)) {
            throw new IllegalArgumentException(entityTypeId + " is not a possible dynamic type id");
        }
        declaredTypes.add(entityTypeId);
    }

    /** A record of any type the item API serves on this portal: 1, 2, 3, 4, 7, 31 and the declared smart processes. */
    public synchronized int addItem(int entityTypeId, String title) {
        if (!hasFactory(entityTypeId)) {
            throw new IllegalArgumentException("the portal has no entity type " + entityTypeId);
        }
        return switch (entityTypeId) {
            case EntityTypes.LEAD -> addLead(title, "NEW");
            case EntityTypes.DEAL -> addDeal(title);
            case EntityTypes.CONTACT -> addContact(title);
            case EntityTypes.COMPANY -> addCompany(title);
            default -> add(entityTypeId, "TITLE", title);
        };
    }

    /** Whether the server would find a factory for the type: item.php getFactory, Container::getFactory l.95-160. */
    synchronized boolean hasFactory(int entityTypeId) {
        return EntityTypes.ALWAYS_PRESENT.contains(entityTypeId) || declaredTypes.contains(entityTypeId);
    }

    /** Binds a contact to a lead; false when either does not exist. */
    public synchronized boolean bindContact(int leadId, int contactId) {
        return bindTo(EntityTypes.LEAD, leadId, contactId);
    }

    /** Binds a contact to a deal; false when either does not exist. */
    public synchronized boolean bindDealContact(int dealId, int contactId) {
        return bindTo(EntityTypes.DEAL, dealId, contactId);
    }

    /**
     * Binds a contact and a company: the one relation both {@code crm.company.contact.*} and
     * {@code crm.contact.company.*} see; false when either does not exist.
     */
    public synchronized boolean bindCompanyContact(int companyId, int contactId) {
        return bindTo(EntityTypes.COMPANY, companyId, contactId);
    }

    public synchronized boolean hasLead(int id) {
        return hasItem(EntityTypes.LEAD, id);
    }

    public synchronized boolean hasContact(int id) {
        return hasItem(EntityTypes.CONTACT, id);
    }

    public synchronized boolean hasDeal(int id) {
        return hasItem(EntityTypes.DEAL, id);
    }

    public synchronized boolean hasCompany(int id) {
        return hasItem(EntityTypes.COMPANY, id);
    }

    public synchronized boolean hasQuote(int id) {
        return hasItem(EntityTypes.QUOTE, id);
    }

    public synchronized boolean hasActivity(int id) {
        return hasItem(EntityTypes.ACTIVITY, id);
    }

    public synchronized boolean hasItem(int entityTypeId, int id) {
        return records(entityTypeId).byId.containsKey(id);
    }

    public synchronized Map<String, Object> lead(int id) {
        return record(EntityTypes.LEAD, id);
    }

    public synchronized Map<String, Object> contact(int id) {
        return record(EntityTypes.CONTACT, id);
    }

    /** A copy of a record's fields (upper-case names, values as strings), or null. */
    public synchronized Map<String, Object> record(int entityTypeId, int id) {
        Map<String, Object> record = records(entityTypeId).byId.get(id);
        return record == null ? null : new LinkedHashMap<>(record);
    }

    public synchronized List<Integer> leadIds() {
        return ids(EntityTypes.LEAD);
    }

    public synchronized List<Integer> leadIdsWithStatus(String statusId) {
        List<Integer> ids = new ArrayList<>();
        records(EntityTypes.LEAD).byId.forEach((id, lead) -> {
            if (statusId.equals(lead.get("STATUS_ID"))) {
                ids.add(id);
            }
        });
        return ids;
    }

    public synchronized List<Integer> contactIds() {
        return ids(EntityTypes.CONTACT);
    }

    /** The ids of a type's records, in the order added. */
    public synchronized List<Integer> ids(int entityTypeId) {
        return new ArrayList<>(records(entityTypeId).byId.keySet());
    }

    public synchronized List<Integer> contactsOfLead(int leadId) {
        return bindings.boundTo(EntityTypes.LEAD, leadId);
    }

    public synchronized List<Integer> contactsOfDeal(int dealId) {
        return bindings.boundTo(EntityTypes.DEAL, dealId);
    }

    public synchronized List<Integer> contactsOfCompany(int companyId) {
        return bindings.boundTo(EntityTypes.COMPANY, companyId);
    }

    public synchronized List<Integer> companiesOfContact(int contactId) {
        return bindings.boundTo(EntityTypes.CONTACT, contactId);
    }

    public synchronized int leadCount() {
        return count(EntityTypes.LEAD);
    }

    public synchronized int contactCount() {
        return count(EntityTypes.CONTACT);
    }

    public synchronized int activityCount() {
        return count(EntityTypes.ACTIVITY);
    }

    public synchronized int count(int entityTypeId) {
        return records(entityTypeId).byId.size();
    }

    /** Deletes a lead with its contact bindings; false when there is no such lead. */
    public synchronized boolean deleteLead(int id) {
        return delete(EntityTypes.LEAD, id);
    }

    /** Deletes a contact and unbinds it from every lead, deal and company; false when there is no such contact. */
    public synchronized boolean deleteContact(int id) {
        return delete(EntityTypes.CONTACT, id);
    }

    /** Deletes a record of any type with the bindings it has; false when there is no such record. */
    public synchronized boolean delete(int entityTypeId, int id) {
        if (records(entityTypeId).byId.remove(id) == null) {
            return false;
        }
        bindings.removeRecord(entityTypeId, id);
        return true;
    }

    /** Unbinds one contact from a lead; false when it was not bound. */
    public synchronized boolean unbindContact(int leadId, int contactId) {
        return bindings.unbind(EntityTypes.LEAD, leadId, contactId);
    }

    /** Unbinds every contact of a lead. */
    public synchronized void unbindAllContacts(int leadId) {
        bindings.unbindAll(EntityTypes.LEAD, leadId);
    }

    /** Unbinds in the relation of the owner's type (a contact's: its companies); false when it was not bound. */
    synchronized boolean unbind(int ownerType, int ownerId, int boundId) {
        return bindings.unbind(ownerType, ownerId, boundId);
    }

    /** Unbinds everything bound to an owner: the contacts of a lead, deal or company; the companies of a contact. */
    synchronized void unbindAll(int ownerType, int ownerId) {
        bindings.unbindAll(ownerType, ownerId);
    }

    synchronized List<Integer> boundTo(int ownerType, int ownerId) {
        return bindings.boundTo(ownerType, ownerId);
    }

    /** Binds in the relation of the owner's type; false when either record does not exist. */
    synchronized boolean bindTo(int ownerType, int ownerId, int boundId) {
        int boundType = ownerType == EntityTypes.CONTACT ? EntityTypes.COMPANY : EntityTypes.CONTACT;
        if (!hasItem(ownerType, ownerId) || !hasItem(boundType, boundId)) {
            return false;
        }
        bindings.bind(ownerType, ownerId, boundId);
        return true;
    }

    /** Adds a record: its {@code ID} as a string, as the classic methods answer, then the fields (name, value, ...). */
    private int add(int entityTypeId, String... fields) {
        Records records = records(entityTypeId);
        int id = records.nextId++;
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("ID", String.valueOf(id));
        for (int i = 0; i + 1 < fields.length; i += 2) {
            record.put(fields[i], fields[i + 1]);
        }
        records.byId.put(id, record);
        return id;
    }

    private Records records(int entityTypeId) {
        return types.computeIfAbsent(entityTypeId, k -> new Records());
    }
}
