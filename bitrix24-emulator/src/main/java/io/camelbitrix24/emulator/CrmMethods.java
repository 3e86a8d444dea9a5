package io.camelbitrix24.emulator;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.camelbitrix24.emulator.AccessControl.Permission;

/**
 * The CRM methods the emulator serves, each answering as the Bitrix24 server's code does, checks in the server's order:
 * its result on success, or the error the real method raises (often an empty code, {@code ERROR_CORE} with a text from
 * the portal's language, or {@code NOT_FOUND}). Sources: the crm module's {@code classes/general/restservice.php}
 * ({@code CCrmLeadRestProxy}, {@code CCrmContactRestProxy}, {@code CCrmEntityBindingProxy}),
 * {@code lib/controller/item.php}, {@code lib/entity/compatibility/adapter/operation.php}, build 26.250.
 */
final class CrmMethods {

    static final Set<String> METHODS = Set.of(
            "crm.lead.delete", "crm.contact.delete", "crm.lead.contact.delete", "crm.lead.contact.items.delete",
            "crm.item.delete", "crm.lead.add", "crm.lead.get", "crm.lead.list", "crm.contact.add", "crm.contact.get",
            "crm.contact.list", "crm.item.list", "crm.lead.contact.add", "crm.lead.contact.items.get");

    static final int ENTITY_TYPE_LEAD = 1;
    static final int ENTITY_TYPE_CONTACT = 3;

    /** A list method's answer: the rows and the {@code total} the server puts beside {@code result}. */
    record ListResult(Object rows, int total) {
    }

    private static final Pattern PHP_NUMBER_PREFIX = Pattern.compile("^[ \\t\\n\\r\\x0B\\f]*([+-]?(\\d+(\\.\\d*)?|\\.\\d+)"
                                                                      + "([eE][+-]?\\d+)?)");
    private static final Pattern ENGINE_INT = Pattern.compile("[+-]?\\d+");

    private final PortalData data;
    private final AccessControl access;
    private final PortalLanguage language;
    private final boolean legacyDelete;

    /**
     * @param legacyDelete the lead and contact deletes of a portal whose factory mode is off (older builds, PostgreSQL,
     *                     or the {@code *_enable_factory} option set to N)
     */
    CrmMethods(PortalData data, AccessControl access, PortalLanguage language, boolean legacyDelete) {
        this.data = data;
        this.access = access;
        this.language = language;
        this.legacyDelete = legacyDelete;
    }

    static boolean exists(String method) {
        return METHODS.contains(method);
    }

    Object call(int userId, String method, Map<String, Object> params) {
        return switch (method) {
            case "crm.lead.delete" -> {
                long id = requireEntityId(params);
                // innerDelete l.6048-6063: the permission check comes before the existence check
                requireDeletePermission(userId);
                if (!data.deleteLead(toInt(id))) {
                    // legacy: crm_lead.php l.3199-3205 CRM_LEAD_DELETION_NOT_FOUND; factory (default since 26.150):
                    // adapter/operation.php l.446-480 CRM_TYPE_ITEM_NOT_FOUND; both an application exception
                    throw new MethodException(Bitrix24Error.errorCore(language.message(
                            legacyDelete ? "CRM_LEAD_DELETION_NOT_FOUND" : "CRM_TYPE_ITEM_NOT_FOUND")));
                }
                yield true;
            }
            case "crm.contact.delete" -> {
                long id = requireEntityId(params);
                // innerDelete l.8489-8506
                requireDeletePermission(userId);
                if (!data.deleteContact(toInt(id))) {
                    // legacy: crm_contact.php l.2746-2750 returns false with no message at all
                    throw new MethodException(legacyDelete ? Bitrix24Error.emptyCode("")
                            : Bitrix24Error.errorCore(language.message("CRM_TYPE_ITEM_NOT_FOUND")));
                }
                yield true;
            }
            case "crm.item.delete" -> {
                // lib/controller/item.php deleteAction(int $entityTypeId, int $id) l.222-283
                int entityTypeId = toInt(engineInt(params, "entityTypeId"));
                long id = engineInt(params, "id");
                IntPredicate delete = requireEntityType(entityTypeId);
                if (id <= 0 || !(entityTypeId == ENTITY_TYPE_LEAD ? data.hasLead(toInt(id)) : data.hasContact(toInt(id)))) {
                    throw new MethodException(new Bitrix24Error(400, "NOT_FOUND", language.message("CRM_TYPE_ITEM_NOT_FOUND")));
                }
                if (!access.may(userId, Permission.DELETE)) {
                    // ErrorCode::getAccessDeniedError, errorcode.php l.42-50: 400 in the code (docs: 403)
                    throw new MethodException(new Bitrix24Error(400, "ACCESS_DENIED",
                            language.message("CRM_COMMON_ERROR_ACCESS_DENIED")));
                }
                delete.test(toInt(id));
                // the controller answers an empty array on success
                yield List.of();
            }
            case "crm.lead.contact.delete" -> {
                // CCrmEntityBindingProxy::deleteItem l.10810-10970, checks in this order
                long leadId = phpInt(entityIdParam(params));
                if (leadId <= 0) {
                    throw new MethodException(
                            Bitrix24Error.emptyCode("The parameter 'ownerEntityID' is invalid or not defined."));
                }
                if (!(params.get("fields") instanceof Map<?, ?> fields)) {
                    throw new MethodException(Bitrix24Error.emptyCode("The parameter 'item' must be array."));
                }
                if (!access.may(userId, Permission.UPDATE)) {
                    throw new MethodException(Bitrix24Error.ACCESS_DENIED);
                }
                if (!data.hasLead(toInt(leadId))) {
                    throw new MethodException(Bitrix24Error.NOT_FOUND);
                }
                long contactId = phpInt(fields.get("CONTACT_ID"));
                if (contactId <= 0) {
                    throw new MethodException(Bitrix24Error.emptyCode("The parameter 'fields' is not valid."));
                }
                if (!access.may(userId, Permission.READ)) {
                    // since 26.150: checkReadPermissions l.11712-11737, "[<type> #<id>] <localized text>"
                    throw new MethodException(Bitrix24Error.emptyCode("[" + language.message("CRM_OWNER_TYPE_CONTACT")
                                                                      + " #" + contactId + "] "
                                                                      + language.message("CRM_COMMON_READ_ACCESS_DENIED")));
                }
                // a contact that is not bound (or does not exist) is not an error: the method answers false
                yield data.unbindContact(toInt(leadId), toInt(contactId));
            }
            case "crm.lead.contact.items.delete" -> {
                // CCrmEntityBindingProxy::deleteItems l.11604-11709: no existence check, a missing lead answers true
                long leadId = phpInt(entityIdParam(params));
                if (leadId <= 0) {
                    throw new MethodException(
                            Bitrix24Error.emptyCode("The parameter ownerEntityID is invalid or not defined."));
                }
                // read and update since 26.250 (read only before)
                if (!access.may(userId, Permission.READ) || !access.may(userId, Permission.UPDATE)) {
                    throw new MethodException(Bitrix24Error.ACCESS_DENIED);
                }
                data.unbindAllContacts(toInt(leadId));
                yield true;
            }
            case "crm.lead.list" -> list(userId, params, data.leadIds(), data::lead);
            // CCrmContactRestProxy::innerGetList sets $filter['@CATEGORY_ID'] = 0 whatever the caller asks: a contact of
            // another category is never listed (crm/classes/general/restservice.php l.8397-8404); crm.item.list
            // (lib/controller/item.php listAction l.122) lists every category the user may read
            case "crm.contact.list" -> list(userId, params, data.contactIds(),
                    id -> defaultCategory(data.contact(id)));
            case "crm.item.list" -> itemList(userId, params);
            case "crm.lead.add" -> {
                Map<String, Object> fields = fields(params);
                yield data.addLead(string(fields.get("TITLE"), "Lead"), string(fields.get("STATUS_ID"), "NEW"));
            }
            case "crm.contact.add" -> {
                Map<String, Object> fields = fields(params);
                yield data.addContact(string(fields.get("NAME"), "Contact"));
            }
            case "crm.lead.get" -> {
                Map<String, Object> lead = data.lead(toInt(requireEntityId(params)));
                if (lead == null) {
                    throw new MethodException(Bitrix24Error.emptyCode("Not found"));
                }
                yield lead;
            }
            case "crm.contact.get" -> {
                Map<String, Object> contact = data.contact(toInt(requireEntityId(params)));
                if (contact == null) {
                    throw new MethodException(Bitrix24Error.emptyCode("Not found"));
                }
                yield contact;
            }
            case "crm.lead.contact.add" -> {
                int leadId = toInt(requireEntityId(params));
                int contactId = toInt(phpInt(fields(params).get("CONTACT_ID")));
                if (!data.hasLead(leadId)) {
                    throw new MethodException(Bitrix24Error.NOT_FOUND);
                }
                if (!data.hasContact(contactId)) {
                    throw new MethodException(Bitrix24Error.emptyCode("The contact with ID '" + contactId + "' is not found"));
                }
                yield data.bindContact(leadId, contactId);
            }
            case "crm.lead.contact.items.get" -> {
                int leadId = toInt(requireEntityId(params));
                if (!data.hasLead(leadId)) {
                    throw new MethodException(Bitrix24Error.NOT_FOUND);
                }
                List<Map<String, Object>> items = new ArrayList<>();
                int sort = 10;
                for (int contactId : data.contactsOfLead(leadId)) {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("CONTACT_ID", contactId);
                    item.put("SORT", sort);
                    item.put("ROLE_ID", 0);
                    item.put("IS_PRIMARY", sort == 10 ? "Y" : "N");
                    items.add(item);
                    sort += 10;
                }
                yield items;
            }
            default -> throw new MethodException(Bitrix24Error.ERROR_METHOD_NOT_FOUND);
        };
    }

    private void requireDeletePermission(int userId) {
        if (!access.may(userId, Permission.DELETE)) {
            throw new MethodException(Bitrix24Error.DELETE_ACCESS_DENIED);
        }
    }

    /**
     * The entity types of crm.item.delete: lead and contact are served; a dynamic type id (128-191, or 1030 and up) the
     * portal lacks is NOT_FOUND, any other is ENTITY_TYPE_NOT_SUPPORTED (item.php getFactory l.46-68,
     * crm_owner_type.php l.3590-3600). Answers the delete of the type.
     */
    private IntPredicate requireEntityType(int entityTypeId) {
        if (entityTypeId == ENTITY_TYPE_LEAD) {
            return data::deleteLead;
        }
        if (entityTypeId == ENTITY_TYPE_CONTACT) {
            return data::deleteContact;
        }
        if (entityTypeId >= 128 && entityTypeId <= 191 || entityTypeId >= 1030) {
            throw new MethodException(new Bitrix24Error(400, "NOT_FOUND", language.message("CRM_TYPE_TYPE_NOT_FOUND")));
        }
        throw new MethodException(new Bitrix24Error(400, "ENTITY_TYPE_NOT_SUPPORTED",
                language.message("CRM_COMMON_ERROR_ENTITY_TYPE_NOT_SUPPORT", "ENTITY", String.valueOf(entityTypeId))));
    }

    /**
     * crm.lead.list / crm.contact.list (restservice.php getList l.1335-1376): {@code filter} by {@code ID},
     * {@code @ID} (a list) or {@code STATUS_ID}; rows hold the selected fields, ids as strings; a user without read
     * permission sees no rows. One page: the emulator's lists are short.
     */
    private ListResult list(int userId, Map<String, Object> params, List<Integer> ids,
                            java.util.function.IntFunction<Map<String, Object>> record) {
        Map<String, Object> filter = params.get("filter") instanceof Map<?, ?> f ? upperKeys(f) : Map.of();
        List<Object> select = params.get("select") instanceof List<?> s ? new ArrayList<>(s) : List.of();
        List<Map<String, Object>> rows = new ArrayList<>();
        if (access.may(userId, Permission.READ)) {
            for (int id : ids) {
                Map<String, Object> row = record.apply(id);
                if (row != null && matches(filter, id, row)) {
                    rows.add(selected(row, select));
                }
            }
        }
        return new ListResult(rows, rows.size());
    }

    /** The contact when it is in the default category 0, as crm.contact.list sees contacts; else null. */
    private static Map<String, Object> defaultCategory(Map<String, Object> contact) {
        return contact == null || !"0".equals(contact.getOrDefault("CATEGORY_ID", "0")) ? null : contact;
    }

    /** crm.item.list (item.php listAction l.122-215): filter keys upper-cased, rows camelCase with an integer id. */
    private ListResult itemList(int userId, Map<String, Object> params) {
        int entityTypeId = toInt(engineInt(params, "entityTypeId"));
        requireEntityType(entityTypeId);
        Map<String, Object> filter = params.get("filter") instanceof Map<?, ?> f ? upperKeys(f) : Map.of();
        List<Map<String, Object>> items = new ArrayList<>();
        if (access.may(userId, Permission.READ)) {
            List<Integer> ids = entityTypeId == ENTITY_TYPE_LEAD ? data.leadIds() : data.contactIds();
            for (int id : ids) {
                if (matches(filter, id, Map.of())) {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("id", id);
                    items.add(item);
                }
            }
        }
        return new ListResult(Map.of("items", items), items.size());
    }

    private static boolean matches(Map<String, Object> filter, int id, Map<String, Object> row) {
        Object exact = filter.get("ID");
        if (exact != null && phpInt(exact) != id) {
            return false;
        }
        Object in = filter.get("@ID");
        if (in instanceof Collection<?> any && any.stream().noneMatch(v -> phpInt(v) == id)) {
            return false;
        }
        Object status = filter.get("STATUS_ID");
        return status == null || status.toString().equals(row.get("STATUS_ID"));
    }

    private static Map<String, Object> selected(Map<String, Object> row, List<Object> select) {
        if (select.isEmpty() || select.contains("*")) {
            return row;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Object field : select) {
            String name = String.valueOf(field).toUpperCase(java.util.Locale.ROOT);
            if (row.containsKey(name)) {
                out.put(name, row.get(name));
            }
        }
        return out;
    }

    private static Map<String, Object> upperKeys(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k).toUpperCase(java.util.Locale.ROOT), v));
        return out;
    }

    /** restservice.php resolveEntityID l.757-760: {@code ID} if present, else {@code id}. */
    private static Object entityIdParam(Map<String, Object> params) {
        return params.containsKey("ID") ? params.get("ID") : params.get("id");
    }

    /** The id a classic method works on: {@code (int)} of the parameter, above 0 (restservice.php l.1834-1837). */
    private static long requireEntityId(Map<String, Object> params) {
        long id = phpInt(entityIdParam(params));
        if (id <= 0) {
            throw new MethodException(Bitrix24Error.ID_INVALID);
        }
        return id;
    }

    /**
     * An {@code int} parameter of a controller action (main/lib/engine binder): a whole number, or code {@code 100}
     * (main/lib/ArgumentException.php l.12-15) naming the parameter.
     */
    private static long engineInt(Map<String, Object> params, String name) {
        Object value = params.get(name);
        if (value == null) {
            throw new MethodException(new Bitrix24Error(400, "100", "Could not find value for parameter {" + name + "}"));
        }
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        if (value instanceof String s && ENGINE_INT.matcher(s).matches() && s.length() < 19) {
            return Long.parseLong(s);
        }
        throw new MethodException(new Bitrix24Error(400, "100", "Invalid value {" + value + "} to match with parameter {"
                                                                + name + "}. Should be value of type int."));
    }

    /**
     * PHP's {@code (int)} cast, which the classic methods apply to ids: {@code "12abc"} is 12, {@code "abc"} 0,
     * {@code "1e3"} 1000, {@code "5.9"} 5, {@code true} and a non-empty array 1, {@code null} 0.
     */
    static long phpInt(Object value) {
        if (value == null || Boolean.FALSE.equals(value)) {
            return 0;
        }
        if (Boolean.TRUE.equals(value)) {
            return 1;
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? (long) d : 0;
        }
        if (value instanceof Map<?, ?> map) {
            return map.isEmpty() ? 0 : 1;
        }
        if (value instanceof Collection<?> list) {
            return list.isEmpty() ? 0 : 1;
        }
        Matcher m = PHP_NUMBER_PREFIX.matcher(value.toString());
        if (!m.find()) {
            return 0;
        }
        try {
            return new BigDecimal(m.group(1)).longValue();
        } catch (NumberFormatException | ArithmeticException e) {
            return 0;
        }
    }

    /** An id past int range names no record here. */
    private static int toInt(long id) {
        return id > Integer.MAX_VALUE || id < Integer.MIN_VALUE ? Integer.MAX_VALUE : (int) id;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fields(Map<String, Object> params) {
        Object fields = params.get("fields");
        return fields instanceof Map<?, ?> ? (Map<String, Object>) fields : Map.of();
    }

    private static String string(Object value, String fallback) {
        return value == null ? fallback : value.toString();
    }
}
