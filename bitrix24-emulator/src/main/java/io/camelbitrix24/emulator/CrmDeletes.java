package io.camelbitrix24.emulator;

import java.util.List;
import java.util.Map;

import io.camelbitrix24.emulator.AccessControl.Permission;

import static io.camelbitrix24.emulator.CrmParams.engineInt;
import static io.camelbitrix24.emulator.CrmParams.requireEntityId;
import static io.camelbitrix24.emulator.CrmParams.toInt;

/**
 * The record deletes: {@code crm.lead/deal/contact/company/quote/activity.delete} (CCrmRestProxyBase::delete
 * restservice.php l.1581-1594: the {@code (int)} id above 0, then the proxy's innerDelete, whose errors are joined into
 * an empty-code 400 unless the server raised an application exception, then {@code ERROR_CORE}) and
 * {@code crm.item.delete} (lib/controller/item.php). Each answers {@code true}, the item API {@code []}.
 */
final class CrmDeletes {

    private final PortalData data;
    private final AccessControl access;
    private final PortalLanguage language;
    private final boolean legacyDelete;

    CrmDeletes(PortalData data, AccessControl access, PortalLanguage language, boolean legacyDelete) {
        this.data = data;
        this.access = access;
        this.language = language;
        this.legacyDelete = legacyDelete;
    }

    Object lead(int userId, Map<String, Object> params) {
        int id = requireEntityId(params);
        // innerDelete l.6048-6063: the permission check comes before the existence check
        requireDeletePermission(userId);
        if (!data.deleteLead(id)) {
            // legacy: crm_lead.php l.3199-3205 CRM_LEAD_DELETION_NOT_FOUND; factory (default since 26.150):
            // adapter/operation.php l.446-460 CRM_TYPE_ITEM_NOT_FOUND; both an application exception
            throw new MethodException(Bitrix24Error.errorCore(language.message(
                    legacyDelete ? "CRM_LEAD_DELETION_NOT_FOUND" : "CRM_TYPE_ITEM_NOT_FOUND")));
        }
        return true;
    }

    Object contact(int userId, Map<String, Object> params) {
        int id = requireEntityId(params);
        // innerDelete l.8489-8506
        requireDeletePermission(userId);
        if (!data.deleteContact(id)) {
            // legacy: crm_contact.php l.2746-2750 returns false with no message at all
            throw new MethodException(legacyDelete ? Bitrix24Error.emptyCode("")
                    : Bitrix24Error.errorCore(language.message("CRM_TYPE_ITEM_NOT_FOUND")));
        }
        return true;
    }

    Object deal(int userId, Map<String, Object> params) {
        int id = requireEntityId(params);
        // innerDelete l.6474-6497 asks the deal's category first: -1 for a missing deal (crm_deal.php GetCategoryID
        // l.4559-4562, Factory/Deal.php getItemCategoryId l.785-794), answered by the type's delete permission alone,
        // with no final period; the delete operation is never reached, so the factory mode changes nothing
        if (!data.hasDeal(id)) {
            throw new MethodException(Bitrix24Error.emptyCode(
                    access.may(userId, Permission.DELETE) ? "Not found" : "Access denied"));
        }
        requireDeletePermission(userId);
        data.delete(EntityTypes.DEAL, id);
        return true;
    }

    Object company(int userId, Map<String, Object> params) {
        int id = requireEntityId(params);
        // innerDelete l.8182-8197
        requireDeletePermission(userId);
        if (!data.delete(EntityTypes.COMPANY, id)) {
            // crm_company.php Delete l.2533-2541 looks the company up before it branches to the factory (l.2544) and
            // returns false with no message: an empty code and text whatever the factory mode
            throw new MethodException(Bitrix24Error.emptyCode(""));
        }
        return true;
    }

    Object quote(int userId, Map<String, Object> params) {
        int id = requireEntityId(params);
        // innerDelete l.12139-12154
        requireDeletePermission(userId);
        if (!data.delete(EntityTypes.QUOTE, id)) {
            // quotes always go through the factory (crm_quote.php Delete l.1005-1008, settings/quotesettings.php
            // isFactoryEnabled l.89-92 is true): adapter/operation.php l.446-460 raises CRM_TYPE_ITEM_NOT_FOUND
            throw new MethodException(Bitrix24Error.errorCore(language.message("CRM_TYPE_ITEM_NOT_FOUND")));
        }
        return true;
    }

    Object activity(int userId, Map<String, Object> params) {
        int id = requireEntityId(params);
        // innerDelete l.10044-10058: CCrmActivity::GetByID checks read permission (crm_activity.php l.2484-2513), so an
        // activity the user may not read is not found either; the delete permission comes after
        if (!data.hasActivity(id) || !access.may(userId, Permission.READ)) {
            throw new MethodException(Bitrix24Error.emptyCode("Activity is not found."));
        }
        requireDeletePermission(userId);
        data.delete(EntityTypes.ACTIVITY, id);
        return true;
    }

    /** lib/controller/item.php deleteAction(int $entityTypeId, int $id) l.222-283, checks in this order. */
    Object item(int userId, Map<String, Object> params) {
        int entityTypeId = toInt(engineInt(params, "entityTypeId"));
        long id = engineInt(params, "id");
        EntityTypes.requireFactory(data, language, entityTypeId);
        // the item is looked up before the permission is checked
        if (id <= 0 || !data.hasItem(entityTypeId, toInt(id))) {
            throw new MethodException(new Bitrix24Error(400, "NOT_FOUND", language.message("CRM_TYPE_ITEM_NOT_FOUND")));
        }
        if (!access.may(userId, Permission.DELETE)) {
            // ErrorCode::getAccessDeniedError, errorcode.php l.42-50: 400 in the code (docs: 403)
            throw new MethodException(new Bitrix24Error(400, "ACCESS_DENIED",
                    language.message("CRM_COMMON_ERROR_ACCESS_DENIED")));
        }
        data.delete(entityTypeId, toInt(id));
        // the controller answers an empty array on success
        return List.of();
    }

    private void requireDeletePermission(int userId) {
        if (!access.may(userId, Permission.DELETE)) {
            throw new MethodException(Bitrix24Error.DELETE_ACCESS_DENIED);
        }
    }
}
