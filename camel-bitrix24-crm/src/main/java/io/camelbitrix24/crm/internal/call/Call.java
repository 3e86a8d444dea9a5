package io.camelbitrix24.crm.internal.call;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Bitrix24 method and its JSON parameters, ready to send. {@code request} is the one record the call is about: the
 * delete it carries out, or, for a read ({@code read}), the record whose existence it reads; null for a batch, a read
 * of many records, or a call about none. A {@code batch} carries its {@code commands}, in order; other calls none.
 */
public record Call(String method, ObjectNode params, RecordRequest request, boolean read, List<Call> commands) {

    public Call(String method, ObjectNode params) {
        this(method, params, null, false, List.of());
    }

    Call(String method, ObjectNode params, RecordRequest request) {
        this(method, params, request, false, List.of());
    }

    Call(String method, ObjectNode params, RecordRequest request, boolean read) {
        this(method, params, request, read, List.of());
    }

    /** True when the call deletes one record (not an unbinding, nor a read). */
    public boolean deletesRecord() {
        return !read && request != null && request.deletesRecord();
    }

    /** True when the call is about one record: a delete, an unbinding or a read of one; such calls may be coalesced. */
    public boolean aboutOneRecord() {
        return request != null;
    }

    /** {@code crm.lead.delete for lead 12}, {@code crm.lead.list of lead 12}, or the method alone. */
    public String describe() {
        return request == null ? method : method + (read ? " of " : " for ") + request.subject();
    }
}
