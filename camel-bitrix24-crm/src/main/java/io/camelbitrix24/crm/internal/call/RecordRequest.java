package io.camelbitrix24.crm.internal.call;

/**
 * One validated delete: the main id (the record, or the owner of the bindings), the id of the bound contact or company
 * for a one-binding unbinding, and the record's entity type ({@code 0} where the operation has none).
 */
public record RecordRequest(Operation operation, int entityTypeId, int id, Integer boundId) {

    public RecordRequest {
        if (operation.needsEntityTypeId() && entityTypeId < 1) {
            throw new IllegalArgumentException(operation.path() + " needs an entityTypeId, not " + entityTypeId);
        }
    }

    /** A delete of an operation whose records are of one type (everything but {@code item/delete}). */
    public RecordRequest(Operation operation, int id, Integer boundId) {
        this(operation, operation.itemEntityTypeId(), id, boundId);
    }

    /** True when the request deletes a record, rather than unbinding contacts or companies. */
    public boolean deletesRecord() {
        return operation.deletesRecord();
    }

    /**
     * What the request is about, for messages and logs: {@code deal 12}, {@code item 5 of entity type 1038},
     * {@code contact 7 of deal 12}, {@code the contacts of deal 12}.
     */
    public String subject() {
        String owner = operation.owner() + " " + id;
        if (operation.needsEntityTypeId()) {
            return owner + " of entity type " + entityTypeId;
        }
        String bound = operation.bound();
        if (bound == null) {
            return owner;
        }
        return boundId != null ? bound + " " + boundId + " of " + owner
                : "the " + (operation.unbindsCompanies() ? "companies" : bound + "s") + " of " + owner;
    }
}
