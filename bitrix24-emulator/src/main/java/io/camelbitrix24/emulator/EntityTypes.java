package io.camelbitrix24.emulator;

import java.util.Map;
import java.util.Set;

/**
 * CRM entity type ids and what the server makes of them: crm/classes/general/crm_owner_type.php (build 26.250).
 */
final class EntityTypes {

    // crm_owner_type.php l.13-47
    static final int LEAD = 1;
    static final int DEAL = 2;
    static final int CONTACT = 3;
    static final int COMPANY = 4;
    static final int ACTIVITY = 6;
    static final int QUOTE = 7;
    static final int SMART_INVOICE = 31;
    static final int SMART_DOCUMENT = 36;
    static final int SMART_B2E_DOCUMENT = 39;

    /**
     * The types whose factory every portal has: the five classic ones (Container::getFactory l.97-116) and smart
     * invoices, a dynamic-type-based type each Bitrix24 portal is created with.
     */
    static final Set<Integer> ALWAYS_PRESENT = Set.of(LEAD, DEAL, CONTACT, COMPANY, QUOTE, SMART_INVOICE);

    /**
     * The lang key of each type's description, CCrmOwnerType::GetAllDescriptions l.737-761, which names an unsupported
     * type in {@code ENTITY_TYPE_NOT_SUPPORTED}; a type without one is named by an empty string. Old invoices (5)
     * get the "old version" suffix (lib/Service/Localization.php appendOldVersionSuffix l.19-35).
     */
    private static final Map<Integer, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry(5, "CRM_OWNER_TYPE_INVOICE"), Map.entry(ACTIVITY, "CRM_OWNER_TYPE_ACTIVITY"),
            Map.entry(8, "CRM_OWNER_TYPE_REQUISITE"), Map.entry(9, "CRM_OWNER_TYPE_DEAL_CATEGORY"),
            Map.entry(10, "CRM_OWNER_TYPE_CUSTOM_ACTIVITY_TYPE"), Map.entry(13, "CRM_OWNER_TYPE_RECURRING_DEAL"),
            Map.entry(14, "CRM_OWNER_TYPE_ORDER"), Map.entry(16, "CRM_OWNER_TYPE_ORDER_SHIPMENT"),
            Map.entry(17, "CRM_OWNER_TYPE_ORDER_PAYMENT"), Map.entry(1024, "CRM_OWNER_TYPE_SYSTEM"));

    private EntityTypes() {
    }

    /** isPossibleDynamicTypeId l.215-223: 128-191, or from 1030 (UnlimitedTypeStart) an even id. */
    static boolean isPossibleDynamicTypeId(int id) {
        return id >= 1030 ? id % 2 == 0 : id >= 128 && id < 192;
    }

    /**
     * isUseFactoryBasedApproach l.3590-3632: the types the item API serves, the classic five, smart invoices, smart
     * documents, e-signature documents and every possible dynamic type id.
     */
    static boolean isFactoryBased(int id) {
        return id == LEAD || id == DEAL || id == CONTACT || id == COMPANY || id == QUOTE || isDeclarable(id)
               || id == SMART_INVOICE;
    }

    /** The types a portal has only once created: smart processes, smart documents and e-signature documents. */
    static boolean isDeclarable(int id) {
        return isPossibleDynamicTypeId(id) || id == SMART_DOCUMENT || id == SMART_B2E_DOCUMENT;
    }

    /**
     * The check of every crm.item.* action, item.php getFactory l.46-68: a type the item API does not serve is
     * {@code ENTITY_TYPE_NOT_SUPPORTED} named by its description (controller/errorcode.php l.74-88), a served type the
     * portal lacks (an undeclared smart process) {@code NOT_FOUND}; both 400.
     */
    static void requireFactory(PortalData data, PortalLanguage language, int id) {
        if (!isFactoryBased(id)) {
            throw new MethodException(new Bitrix24Error(400, "ENTITY_TYPE_NOT_SUPPORTED",
                    language.message("CRM_COMMON_ERROR_ENTITY_TYPE_NOT_SUPPORT", "ENTITY", description(id, language))));
        }
        if (!data.hasFactory(id)) {
            throw new MethodException(new Bitrix24Error(400, "NOT_FOUND", language.message("CRM_TYPE_TYPE_NOT_FOUND")));
        }
    }

    /** GetDescription l.824-829 of a type the item API does not serve, in the portal's language. */
    static String description(int id, PortalLanguage language) {
        String key = DESCRIPTIONS.get(id);
        if (key == null) {
            return "";
        }
        String description = language.message(key);
        // CRM_OLD_VERSION_SUFFIX's lang text was not at hand: the code's own fallback (Localization.php l.28-31)
        return id == 5 ? description + " (old version)" : description;
    }
}
