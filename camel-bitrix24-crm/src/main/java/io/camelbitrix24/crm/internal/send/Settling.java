package io.camelbitrix24.crm.internal.send;

import java.util.Set;

import io.camelbitrix24.crm.internal.call.ErrorMapper;
import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.internal.call.FailureKind;
import io.camelbitrix24.crm.internal.call.Futures;
import io.camelbitrix24.crm.internal.call.RecordRequest;

/**
 * When a failure on a record is settled by reading the record, and what the read makes of it: the one set of rules for
 * single calls ({@link CallRunner}) and the items of a batch ({@link BatchProcessor}). {@code afterLostAnswer}: an
 * attempt of the call got no readable answer, so it may have been carried out.
 */
final class Settling {

    private Settling() {
    }

    /**
     * An answer that may mean "not found" in a language no phrase table holds, on a call that deletes a record: only a
     * read of the record tells.
     */
    static boolean isUndecided(Failure failure, boolean deletesRecord) {
        return deletesRecord && ErrorMapper.needsExistenceCheck(failure);
    }

    /**
     * A record delete about to fail after a lost answer (this one's or an earlier attempt's): the record may be gone
     * already, so it is read first. Not after a not-found, which says so itself.
     */
    static boolean readBeforeFailing(Failure failure, boolean deletesRecord, boolean afterLostAnswer) {
        return deletesRecord && (afterLostAnswer || failure.isOutcomeUnknown()) && !failure.is(FailureKind.NOT_FOUND);
    }

    /** Either reason to read the record: what a batch item's failure is checked for once the batch call has ended. */
    static boolean needsRead(Failure failure, boolean deletesRecord, boolean afterLostAnswer) {
        return isUndecided(failure, deletesRecord) || readBeforeFailing(failure, deletesRecord, afterLostAnswer);
    }

    /**
     * A not-found of a record delete after a lost answer: the record is gone because the attempt whose answer was lost
     * deleted it. Not for unbinding, whose not-found is about the owner (a lead, a deal, ...), which no attempt
     * deletes.
     */
    static boolean deletedByLostAttempt(Failure failure, boolean deletesRecord, boolean afterLostAnswer) {
        return afterLostAnswer && deletesRecord && failure.is(FailureKind.NOT_FOUND);
    }

    /**
     * What one read of its record makes of a failure on it: null when the record is gone after a lost answer (the lost
     * attempt deleted it); a not-found when it is gone otherwise; the failure when the record is there; the failure
     * saying so when the read itself failed ({@code readError}), or that the entity type does not exist when the read
     * answered a not-found.
     */
    static Failure afterRead(Failure failure, RecordRequest record, Set<Integer> existing, Throwable readError,
                             boolean afterLostAnswer) {
        if (readError != null) {
            if (Futures.unwrap(readError) instanceof Failure read && read.is(FailureKind.NOT_FOUND)) {
                // a list answers [] for the records it lacks: its own not-found is about the entity type
                return failure.withNote("the portal has no entity type " + record.entityTypeId() + " ("
                                        + read.getMessage() + ")", failure.isOutcomeUnknown());
            }
            return failure.withRecordUnread(record.subject(), readError);
        }
        if (existing.contains(record.id())) {
            return failure;
        }
        return afterLostAnswer || failure.isOutcomeUnknown() ? null : failure.asNotFoundByRead(record.subject());
    }
}
