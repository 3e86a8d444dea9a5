package io.camelbitrix24.emulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static io.camelbitrix24.emulator.CrmParams.engineInt;
import static io.camelbitrix24.emulator.CrmParams.fields;
import static io.camelbitrix24.emulator.CrmParams.requireEntityId;
import static io.camelbitrix24.emulator.CrmParams.string;
import static io.camelbitrix24.emulator.CrmParams.toInt;

/**
 * The CRM methods the emulator serves, each answering as the Bitrix24 server's code does, checks in the server's order:
 * its result on success, or the error the real method raises (often an empty code, {@code ERROR_CORE} with a text from
 * the portal's language, or {@code NOT_FOUND}). The record deletes are {@link CrmDeletes}, the binding methods
 * {@link CrmBindings}, the lists {@link CrmLists}; here are the dispatch and the setup helpers (add, get). Sources: the
 * crm module's {@code classes/general/restservice.php}, {@code lib/controller/item.php},
 * {@code lib/entity/compatibility/adapter/operation.php}, build 26.250.
 */
final class CrmMethods {

    private static final Set<String> DELETES = Set.of("crm.lead.delete", "crm.deal.delete", "crm.contact.delete",
            "crm.company.delete", "crm.quote.delete", "crm.activity.delete", "crm.item.delete");
    private static final Set<String> BINDINGS = Set.of("crm.lead.contact", "crm.deal.contact", "crm.company.contact",
            "crm.contact.company");
    private static final Set<String> LISTS = Set.of("crm.lead.list", "crm.deal.list", "crm.contact.list",
            "crm.company.list", "crm.quote.list", "crm.activity.list", "crm.item.list");
    private static final Set<String> SETUP = Set.of("crm.lead.add", "crm.deal.add", "crm.contact.add",
            "crm.company.add", "crm.quote.add", "crm.activity.add", "crm.item.add", "crm.lead.get", "crm.contact.get");
    private static final Set<String> BINDING_ACTIONS = Set.of("delete", "items.delete", "add", "items.get");

    /** A list method's answer: the rows and the {@code total} the server puts beside {@code result}. */
    record ListResult(Object rows, int total) {
    }

    private final PortalData data;
    private final PortalLanguage language;
    private final CrmDeletes deletes;
    private final CrmBindings bindings;
    private final CrmLists lists;

    /**
     * @param legacyDelete the lead and contact deletes of a portal whose factory mode is off (older builds, PostgreSQL,
     *                     or the {@code *_enable_factory} option set to N)
     */
    CrmMethods(PortalData data, AccessControl access, PortalLanguage language, boolean legacyDelete) {
        this.data = data;
        this.language = language;
        this.deletes = new CrmDeletes(data, access, language, legacyDelete);
        this.bindings = new CrmBindings(data, access, language);
        this.lists = new CrmLists(data, access, language);
    }

    static boolean exists(String method) {
        return DELETES.contains(method) || LISTS.contains(method) || SETUP.contains(method)
               || bindingOf(method) != null;
    }

    /** The binding of a binding method, {@code crm.deal.contact} of {@code crm.deal.contact.items.delete}; else null. */
    private static String bindingOf(String method) {
        for (String binding : BINDINGS) {
            if (method.startsWith(binding + ".") && BINDING_ACTIONS.contains(method.substring(binding.length() + 1))) {
                return binding;
            }
        }
        return null;
    }

    Object call(int userId, String method, Map<String, Object> params) {
        String binding = bindingOf(method);
        if (binding != null) {
            int ownerType = CrmBindings.ownerType(binding);
            return switch (method.substring(binding.length() + 1)) {
                case "delete" -> bindings.deleteOne(ownerType, userId, params);
                case "items.delete" -> bindings.deleteAll(ownerType, userId, params);
                case "add" -> bindings.add(ownerType, params);
                default -> bindings.items(ownerType, params);
            };
        }
        return switch (method) {
            case "crm.lead.delete" -> deletes.lead(userId, params);
            case "crm.contact.delete" -> deletes.contact(userId, params);
            case "crm.deal.delete" -> deletes.deal(userId, params);
            case "crm.company.delete" -> deletes.company(userId, params);
            case "crm.quote.delete" -> deletes.quote(userId, params);
            case "crm.activity.delete" -> deletes.activity(userId, params);
            case "crm.item.delete" -> deletes.item(userId, params);
            case "crm.lead.list" -> lists.list(userId, EntityTypes.LEAD, params);
            case "crm.deal.list" -> lists.list(userId, EntityTypes.DEAL, params);
            case "crm.contact.list" -> lists.list(userId, EntityTypes.CONTACT, params);
            case "crm.company.list" -> lists.list(userId, EntityTypes.COMPANY, params);
            case "crm.quote.list" -> lists.list(userId, EntityTypes.QUOTE, params);
            case "crm.activity.list" -> lists.list(userId, EntityTypes.ACTIVITY, params);
            case "crm.item.list" -> lists.items(userId, params);
            case "crm.lead.get" -> get(EntityTypes.LEAD, params);
            case "crm.contact.get" -> get(EntityTypes.CONTACT, params);
            default -> add(method, params);
        };
    }

    /** The setup helpers that add a record; what is not one of them is not served. */
    private Object add(String method, Map<String, Object> params) {
        Map<String, Object> fields = fields(params);
        String title = string(fields.get("TITLE"), null);
        return switch (method) {
            case "crm.lead.add" -> data.addLead(string(title, "Lead"), string(fields.get("STATUS_ID"), "NEW"));
            case "crm.contact.add" -> data.addContact(string(fields.get("NAME"), "Contact"));
            case "crm.deal.add" -> data.addDeal(string(title, "Deal"));
            case "crm.company.add" -> data.addCompany(string(title, "Company"),
                    toInt(CrmParams.phpInt(fields.get("CATEGORY_ID"))));
            case "crm.quote.add" -> data.addQuote(string(title, "Quote"));
            case "crm.activity.add" -> data.addActivity(string(fields.get("SUBJECT"), "Activity"));
            case "crm.item.add" -> addItem(params);
            default -> throw new MethodException(Bitrix24Error.ERROR_METHOD_NOT_FOUND);
        };
    }

    /** crm.item.add {@code {entityTypeId, fields: {title}}}: {@code {"item": {"id": N}}} (item.php addAction). */
    private Object addItem(Map<String, Object> params) {
        int entityTypeId = toInt(engineInt(params, "entityTypeId"));
        EntityTypes.requireFactory(data, language, entityTypeId);
        Object title = fields(params).get("title");
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", data.addItem(entityTypeId, string(title, "Item")));
        return Map.of("item", item);
    }

    private Object get(int entityTypeId, Map<String, Object> params) {
        Map<String, Object> record = data.record(entityTypeId, requireEntityId(params));
        if (record == null) {
            throw new MethodException(Bitrix24Error.emptyCode("Not found"));
        }
        return record;
    }
}
