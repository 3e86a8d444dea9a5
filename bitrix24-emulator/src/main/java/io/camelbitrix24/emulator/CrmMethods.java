package io.camelbitrix24.emulator;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CRM methods the emulator serves, each answering as a real portal does: its result on success, or the Bitrix24
 * error (often with an empty code) the real method raises.
 */
final class CrmMethods {

    /** Methods that change data, which a user without delete permission may not call. */
    static final Set<String> DELETE_METHODS = Set.of(
            "crm.lead.delete", "crm.contact.delete", "crm.lead.contact.delete", "crm.lead.contact.items.delete",
            "crm.item.delete");

    static final Set<String> METHODS = Set.of(
            "crm.lead.delete", "crm.contact.delete", "crm.lead.contact.delete", "crm.lead.contact.items.delete",
            "crm.item.delete", "crm.lead.add", "crm.lead.get", "crm.lead.list", "crm.contact.add", "crm.contact.get",
            "crm.lead.contact.add", "crm.lead.contact.items.get");

    static final int ENTITY_TYPE_LEAD = 1;
    static final int ENTITY_TYPE_CONTACT = 3;

    private final PortalData data;

    CrmMethods(PortalData data) {
        this.data = data;
    }

    static boolean exists(String method) {
        return METHODS.contains(method);
    }

    Object call(String method, Map<String, Object> params) {
        return switch (method) {
            case "crm.lead.delete" -> {
                int id = requireId(params);
                if (!data.deleteLead(id)) {
                    throw new MethodException(Bitrix24Error.emptyCode("Not found."));
                }
                yield true;
            }
            case "crm.contact.delete" -> {
                int id = requireId(params);
                if (!data.deleteContact(id)) {
                    throw new MethodException(Bitrix24Error.emptyCode("Contact is not found."));
                }
                yield true;
            }
            case "crm.lead.contact.delete" -> {
                int leadId = requireId(params);
                int contactId = requireContactId(params);
                requireLead(leadId);
                // a contact that is not bound (or does not exist) is not an error: the method answers false
                yield data.unbindContact(leadId, contactId);
            }
            case "crm.lead.contact.items.delete" -> {
                int leadId = requireId(params);
                requireLead(leadId);
                data.unbindAllContacts(leadId);
                yield true;
            }
            case "crm.item.delete" -> {
                int entityTypeId = requireEntityTypeId(params);
                int id = requireId(params);
                boolean deleted = entityTypeId == ENTITY_TYPE_LEAD ? data.deleteLead(id) : data.deleteContact(id);
                if (!deleted) {
                    throw new MethodException(new Bitrix24Error(400, "NOT_FOUND", "Element not found"));
                }
                // crm.item.delete answers an empty array on success
                yield List.of();
            }
            case "crm.lead.add" -> {
                Map<String, Object> fields = fields(params);
                yield data.addLead(string(fields.get("TITLE"), "Lead"), string(fields.get("STATUS_ID"), "NEW"));
            }
            case "crm.contact.add" -> {
                Map<String, Object> fields = fields(params);
                yield data.addContact(string(fields.get("NAME"), "Contact"));
            }
            case "crm.lead.get" -> {
                Map<String, Object> lead = data.lead(requireId(params));
                if (lead == null) {
                    throw new MethodException(Bitrix24Error.emptyCode("Not found"));
                }
                yield lead;
            }
            case "crm.contact.get" -> {
                Map<String, Object> contact = data.contact(requireId(params));
                if (contact == null) {
                    throw new MethodException(Bitrix24Error.emptyCode("Not found"));
                }
                yield contact;
            }
            case "crm.lead.list" -> {
                Object filter = params.get("filter");
                String status = filter instanceof Map<?, ?> f ? string(f.get("STATUS_ID"), null) : null;
                List<Integer> ids = status == null ? data.leadIds() : data.leadIdsWithStatus(status);
                List<Map<String, Object>> leads = new ArrayList<>();
                for (int id : ids) {
                    Map<String, Object> lead = data.lead(id);
                    if (lead != null) {
                        leads.add(lead);
                    }
                }
                yield leads;
            }
            case "crm.lead.contact.add" -> {
                int leadId = requireId(params);
                int contactId = requireContactId(params);
                requireLead(leadId);
                if (!data.hasContact(contactId)) {
                    throw new MethodException(Bitrix24Error.emptyCode("The contact with ID '" + contactId + "' is not found"));
                }
                yield data.bindContact(leadId, contactId);
            }
            case "crm.lead.contact.items.get" -> {
                int leadId = requireId(params);
                requireLead(leadId);
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

    private void requireLead(int leadId) {
        if (!data.hasLead(leadId)) {
            throw new MethodException(Bitrix24Error.NOT_FOUND);
        }
    }

    private static int requireId(Map<String, Object> params) {
        Object id = params.containsKey("id") ? params.get("id") : params.get("ID");
        Integer parsed = positiveInt(id);
        if (parsed == null) {
            throw new MethodException(Bitrix24Error.ID_INVALID);
        }
        return parsed;
    }

    private static int requireContactId(Map<String, Object> params) {
        Object fields = params.get("fields");
        Object contactId = fields instanceof Map<?, ?> f ? f.get("CONTACT_ID") : null;
        Integer parsed = positiveInt(contactId);
        if (parsed == null) {
            throw new MethodException(Bitrix24Error.emptyCode("The parameter 'fields' must contain a valid CONTACT_ID."));
        }
        return parsed;
    }

    private static int requireEntityTypeId(Map<String, Object> params) {
        Integer entityTypeId = positiveInt(params.get("entityTypeId"));
        if (entityTypeId == null) {
            throw new MethodException(Bitrix24Error.emptyCode("entityTypeId is not defined or invalid."));
        }
        if (entityTypeId != ENTITY_TYPE_LEAD && entityTypeId != ENTITY_TYPE_CONTACT) {
            throw new MethodException(new Bitrix24Error(400, "NOT_FOUND", "Smart process not found"));
        }
        return entityTypeId;
    }

    /** An id as the server takes it: a whole number or a string of digits, above zero and within int range. */
    static Integer positiveInt(Object value) {
        BigDecimal number;
        try {
            if (value instanceof Number n) {
                number = new BigDecimal(n.toString());
            } else if (value instanceof String s && !s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
                number = new BigDecimal(s);
            } else {
                return null;
            }
        } catch (NumberFormatException e) {
            return null;
        }
        if (number.signum() <= 0 || number.stripTrailingZeros().scale() > 0
                || number.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            return null;
        }
        return number.intValueExact();
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
