package io.camelbitrix24.emulator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import io.camelbitrix24.emulator.AccessControl.Permission;

import static io.camelbitrix24.emulator.CrmParams.arrayParam;
import static io.camelbitrix24.emulator.CrmParams.engineInt;
import static io.camelbitrix24.emulator.CrmParams.phpInt;
import static io.camelbitrix24.emulator.CrmParams.toInt;

/**
 * The list reads: {@code crm.lead/deal/contact/company/quote/activity.list} (CCrmRestProxyBase::getList restservice.php
 * l.1335-1376 over each proxy's innerGetList) and {@code crm.item.list} (lib/controller/item.php listAction l.122-215).
 * A {@code filter} by {@code ID}, {@code @ID} (a list) or {@code STATUS_ID}, keys upper-cased, others dropped; a user
 * without read permission sees no rows. One page: the emulator's lists are short.
 */
final class CrmLists {

    private final PortalData data;
    private final AccessControl access;
    private final PortalLanguage language;

    CrmLists(PortalData data, AccessControl access, PortalLanguage language) {
        this.data = data;
        this.access = access;
        this.language = language;
    }

    /** The classic list of a type: rows of the selected fields, ids as strings. */
    CrmMethods.ListResult list(int userId, int entityTypeId, Map<String, Object> params) {
        Map<String, Object> filter = arrayParam(params, "filter") instanceof Map<?, ?> f ? upperKeys(f) : Map.of();
        List<Object> select = arrayParam(params, "select") instanceof List<?> s ? new ArrayList<>(s) : List.of();
        // CCrmContactRestProxy::innerGetList l.8397-8404 and CCrmCompanyRestProxy::innerGetList l.8090-8097 set
        // $filter['@CATEGORY_ID'] = 0 whatever the caller asks: a contact or company of another category is never
        // listed; crm.item.list lists every category the user may read
        Predicate<Map<String, Object>> category = entityTypeId == EntityTypes.CONTACT
                                                  || entityTypeId == EntityTypes.COMPANY
                ? row -> "0".equals(row.getOrDefault("CATEGORY_ID", "0")) : row -> true;
        List<Map<String, Object>> rows = new ArrayList<>();
        if (access.may(userId, Permission.READ)) {
            for (int id : data.ids(entityTypeId)) {
                Map<String, Object> row = data.record(entityTypeId, id);
                if (row != null && category.test(row) && matches(filter, id, row)) {
                    rows.add(selected(row, select));
                }
            }
        }
        return new CrmMethods.ListResult(rows, rows.size());
    }

    /** crm.item.list: the same type checks as every item action, rows camelCase with an integer id. */
    CrmMethods.ListResult items(int userId, Map<String, Object> params) {
        int entityTypeId = toInt(engineInt(params, "entityTypeId"));
        EntityTypes.requireFactory(data, language, entityTypeId);
        Map<String, Object> filter = params.get("filter") instanceof Map<?, ?> f ? upperKeys(f) : Map.of();
        List<Map<String, Object>> items = new ArrayList<>();
        // getItemsFilteredByPermissions l.204: what the user may not read is left out
        if (access.may(userId, Permission.READ)) {
            for (int id : data.ids(entityTypeId)) {
                if (matches(filter, id, Map.of())) {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("id", id);
                    items.add(item);
                }
            }
        }
        return new CrmMethods.ListResult(Map.of("items", items), items.size());
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
            String name = String.valueOf(field).toUpperCase(Locale.ROOT);
            if (row.containsKey(name)) {
                out.put(name, row.get(name));
            }
        }
        return out;
    }

    private static Map<String, Object> upperKeys(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k).toUpperCase(Locale.ROOT), v));
        return out;
    }
}
