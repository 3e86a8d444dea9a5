package io.camelbitrix24.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.camelbitrix24.emulator.AccessControl.Permission;

import static io.camelbitrix24.emulator.CrmParams.arrayParam;
import static io.camelbitrix24.emulator.CrmParams.entityIdParam;
import static io.camelbitrix24.emulator.CrmParams.phpInt;
import static io.camelbitrix24.emulator.CrmParams.requireEntityId;
import static io.camelbitrix24.emulator.CrmParams.toInt;

/**
 * The binding methods of CCrmEntityBindingProxy (restservice.php l.10385+): contacts bound to a lead, a deal or a
 * company ({@code crm.lead/deal/company.contact.*}, field {@code CONTACT_ID}) and companies bound to a contact
 * ({@code crm.contact.company.*}, field {@code COMPANY_ID}). Company-contact and contact-company are one relation, the
 * server's b_crm_contact_company, so unbinding from either side unbinds both.
 */
final class CrmBindings {

    private final PortalData data;
    private final AccessControl access;
    private final PortalLanguage language;

    CrmBindings(PortalData data, AccessControl access, PortalLanguage language) {
        this.data = data;
        this.access = access;
        this.language = language;
    }

    /** The owner type of a binding method: {@code crm.deal.contact.delete} is the deal's. */
    static int ownerType(String method) {
        return switch (method.split("\\.")[1]) {
            case "lead" -> EntityTypes.LEAD;
            case "deal" -> EntityTypes.DEAL;
            case "company" -> EntityTypes.COMPANY;
            case "contact" -> EntityTypes.CONTACT;
            default -> throw new IllegalArgumentException(method);
        };
    }

    /** deleteItem l.10810-11172, checks in this order; answers false when the record was not bound. */
    Object deleteOne(int ownerType, int userId, Map<String, Object> params) {
        long ownerId = phpInt(entityIdParam(params));
        if (ownerId <= 0) {
            throw new MethodException(
                    Bitrix24Error.emptyCode("The parameter 'ownerEntityID' is invalid or not defined."));
        }
        if (!(arrayParam(params, "fields") instanceof Map<?, ?> fields)) {
            throw new MethodException(Bitrix24Error.emptyCode("The parameter 'item' must be array."));
        }
        if (ownerType == EntityTypes.DEAL) {
            // l.10836-10846: the deal's category first, -1 for a missing deal, answered by the type's update right
            requireDeal(toInt(ownerId), access.may(userId, Permission.UPDATE), "Not found.", "Access denied.");
        }
        if (!access.may(userId, Permission.UPDATE)) {
            // AccessException, rest/lib/accessexception.php: 403
            throw new MethodException(Bitrix24Error.ACCESS_DENIED);
        }
        if (!data.hasItem(ownerType, toInt(ownerId))) {
            throw new MethodException(Bitrix24Error.NOT_FOUND);
        }
        int boundType = boundType(ownerType);
        // EntityBinding::verifyEntityBinding and resolveEntityID (binding/entitybinding.php l.22-48, l.657-666)
        long boundId = phpInt(fields.get(boundType == EntityTypes.COMPANY ? "COMPANY_ID" : "CONTACT_ID"));
        if (boundId <= 0) {
            throw new MethodException(Bitrix24Error.emptyCode("The parameter 'fields' is not valid."));
        }
        if (!access.may(userId, Permission.READ)) {
            // since 26.150: checkReadPermissions l.11712-11737, "[<type description> #<id>] <localized text>"
            String type = language.message(
                    boundType == EntityTypes.COMPANY ? "CRM_OWNER_TYPE_COMPANY" : "CRM_OWNER_TYPE_CONTACT");
            throw new MethodException(Bitrix24Error.emptyCode("[" + type + " #" + boundId + "] "
                                                              + language.message("CRM_COMMON_READ_ACCESS_DENIED")));
        }
        // a record that is not bound (or does not exist) is not an error: the method answers false
        return data.unbind(ownerType, toInt(ownerId), toInt(boundId));
    }

    /** deleteItems l.11604-11709: no existence check but a deal's; a missing lead, company or contact answers true. */
    Object deleteAll(int ownerType, int userId, Map<String, Object> params) {
        long ownerId = phpInt(entityIdParam(params));
        if (ownerId <= 0) {
            throw new MethodException(
                    Bitrix24Error.emptyCode("The parameter ownerEntityID is invalid or not defined."));
        }
        if (ownerType == EntityTypes.DEAL) {
            // l.11621-11627: by the type's read right, with no final period
            requireDeal(toInt(ownerId), access.may(userId, Permission.READ), "Not found", "Access denied");
        }
        // read and update since 26.250 (read only before)
        if (!access.may(userId, Permission.READ) || !access.may(userId, Permission.UPDATE)) {
            throw new MethodException(Bitrix24Error.ACCESS_DENIED);
        }
        data.unbindAll(ownerType, toInt(ownerId));
        return true;
    }

    /** A setup helper, addItem l.10486-10808 without its primary-flag handling: binds, false when already bound. */
    Object add(int ownerType, Map<String, Object> params) {
        int ownerId = requireEntityId(params);
        if (!data.hasItem(ownerType, ownerId)) {
            throw new MethodException(Bitrix24Error.NOT_FOUND);
        }
        int boundType = boundType(ownerType);
        String field = boundType == EntityTypes.COMPANY ? "COMPANY_ID" : "CONTACT_ID";
        Object fields = arrayParam(params, "fields");
        int boundId = toInt(phpInt(fields instanceof Map<?, ?> map ? map.get(field) : null));
        if (!data.hasItem(boundType, boundId)) {
            String name = boundType == EntityTypes.COMPANY ? "company" : "contact";
            throw new MethodException(
                    Bitrix24Error.emptyCode("The " + name + " with ID '" + boundId + "' is not found"));
        }
        if (data.boundTo(ownerType, ownerId).contains(boundId)) {
            return false;
        }
        return data.bindTo(ownerType, ownerId, boundId);
    }

    /**
     * getItems l.11174-11255, a setup helper: the bound records with their sort and primary flag, the first primary. A
     * missing deal is {@code Not found} (its category, l.11188-11194); a lead the emulator does not have is too.
     */
    Object items(int ownerType, Map<String, Object> params) {
        int ownerId = requireEntityId(params);
        if (ownerType == EntityTypes.DEAL && !data.hasDeal(ownerId)) {
            throw new MethodException(Bitrix24Error.emptyCode("Not found"));
        }
        if (ownerType == EntityTypes.LEAD && !data.hasLead(ownerId)) {
            throw new MethodException(Bitrix24Error.NOT_FOUND);
        }
        String field = boundType(ownerType) == EntityTypes.COMPANY ? "COMPANY_ID" : "CONTACT_ID";
        List<Map<String, Object>> items = new ArrayList<>();
        int sort = 10;
        for (int boundId : data.boundTo(ownerType, ownerId)) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put(field, boundId);
            item.put("SORT", sort);
            item.put("ROLE_ID", 0);
            item.put("IS_PRIMARY", sort == 10 ? "Y" : "N");
            items.add(item);
            sort += 10;
        }
        return items;
    }

    /** A missing deal, as CCrmDeal::GetCategoryID's -1 is answered: by a type-level right, before the item's right. */
    private void requireDeal(int dealId, boolean typeRight, String notFound, String denied) {
        if (!data.hasDeal(dealId)) {
            throw new MethodException(Bitrix24Error.emptyCode(typeRight ? notFound : denied));
        }
    }

    private static int boundType(int ownerType) {
        return ownerType == EntityTypes.CONTACT ? EntityTypes.COMPANY : EntityTypes.CONTACT;
    }
}
