package io.camelbitrix24.emulator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The server's binding tables: b_crm_lead_contact, b_crm_deal_contact and b_crm_contact_company, the last one table
 * whichever side binds, so that {@code crm.company.contact.*} and {@code crm.contact.company.*} see the same bindings.
 * Not thread-safe: {@link PortalData} holds its lock around every call.
 */
final class BindingTables {

    /** One row: the owner's id (a lead, deal or company) and the bound contact's, in the order bound. */
    private record Pair(int owner, int contact) {
    }

    private final Set<Pair> leadContacts = new LinkedHashSet<>();
    private final Set<Pair> dealContacts = new LinkedHashSet<>();
    private final Set<Pair> companyContacts = new LinkedHashSet<>();

    /** Binds in the relation of {@code ownerType}; a contact's companies are the company-contact rows seen reversed. */
    void bind(int ownerType, int ownerId, int boundId) {
        table(ownerType).add(pair(ownerType, ownerId, boundId));
    }

    boolean unbind(int ownerType, int ownerId, int boundId) {
        return table(ownerType).remove(pair(ownerType, ownerId, boundId));
    }

    void unbindAll(int ownerType, int ownerId) {
        boolean contactSide = ownerType == EntityTypes.CONTACT;
        table(ownerType).removeIf(pair -> (contactSide ? pair.contact() : pair.owner()) == ownerId);
    }

    /** What is bound to an owner: the contacts of a lead, deal or company; the companies of a contact. */
    List<Integer> boundTo(int ownerType, int ownerId) {
        boolean contactSide = ownerType == EntityTypes.CONTACT;
        List<Integer> ids = new ArrayList<>();
        for (Pair pair : table(ownerType)) {
            if ((contactSide ? pair.contact() : pair.owner()) == ownerId) {
                ids.add(contactSide ? pair.owner() : pair.contact());
            }
        }
        return ids;
    }

    /** Removes the bindings of a deleted record: a contact from every owner, an owner's contacts. */
    void removeRecord(int entityTypeId, int id) {
        switch (entityTypeId) {
            case EntityTypes.LEAD, EntityTypes.DEAL, EntityTypes.COMPANY -> unbindAll(entityTypeId, id);
            case EntityTypes.CONTACT -> {
                leadContacts.removeIf(pair -> pair.contact() == id);
                dealContacts.removeIf(pair -> pair.contact() == id);
                companyContacts.removeIf(pair -> pair.contact() == id);
            }
            default -> {
                // the other types have no bindings here
            }
        }
    }

    private static Pair pair(int ownerType, int ownerId, int boundId) {
        return ownerType == EntityTypes.CONTACT ? new Pair(boundId, ownerId) : new Pair(ownerId, boundId);
    }

    private Set<Pair> table(int ownerType) {
        return switch (ownerType) {
            case EntityTypes.LEAD -> leadContacts;
            case EntityTypes.DEAL -> dealContacts;
            case EntityTypes.COMPANY, EntityTypes.CONTACT -> companyContacts;
            default -> throw new IllegalArgumentException("no bindings for entity type " + ownerType);
        };
    }
}
