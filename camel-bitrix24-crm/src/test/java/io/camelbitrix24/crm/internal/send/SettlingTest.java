package io.camelbitrix24.crm.internal.send;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Set;

import io.camelbitrix24.crm.internal.call.ErrorMapper;
import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.internal.call.FailureKind;
import io.camelbitrix24.crm.internal.call.Operation;
import io.camelbitrix24.crm.internal.call.RecordRequest;
import io.camelbitrix24.crm.internal.call.TransportFailures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a failure on a record is read to settle it, and what the read makes of it: one rule for calls and batch items. */
class SettlingTest {

    private static final RecordRequest LEAD = new RecordRequest(Operation.LEAD_DELETE, 12, null);

    private static Failure undecided() {
        return ErrorMapper.fromError("crm.lead.delete", 400, "ERROR_CORE", "[!! x !!]");
    }

    private static Failure notFound() {
        return ErrorMapper.fromError("crm.lead.delete", 400, "NOT_FOUND", "Not found");
    }

    private static Failure denied() {
        return ErrorMapper.fromError("crm.lead.delete", 403, "ACCESS_DENIED", "Access denied!");
    }

    private static Failure lostAnswer() {
        return TransportFailures.of("crm.lead.delete", new SocketTimeoutException("read timed out"));
    }

    @Test
    void anUndecidedAnswerOnARecordDeleteIsRead() {
        assertTrue(Settling.isUndecided(undecided(), true));
        assertFalse(Settling.isUndecided(undecided(), false), "an unbinding's error is about the lead");
        assertFalse(Settling.isUndecided(denied(), true), "an answer that says what it is");
        assertTrue(Settling.needsRead(undecided(), true, false));
    }

    @Test
    void aRecordDeleteFailingAfterALostAnswerIsReadFirst() {
        assertTrue(Settling.readBeforeFailing(lostAnswer(), true, false), "its own answer was lost");
        assertTrue(Settling.readBeforeFailing(denied(), true, true), "an earlier attempt's answer was lost");
        assertFalse(Settling.readBeforeFailing(denied(), true, false), "no answer was lost");
        assertFalse(Settling.readBeforeFailing(notFound(), true, true), "a not-found says so itself");
        assertFalse(Settling.readBeforeFailing(lostAnswer(), false, true), "an unbinding deletes no record");
        // a batch item is held to the same rule as a single call, whichever attempt lost its answer
        assertEquals(Settling.readBeforeFailing(denied(), true, true), Settling.needsRead(denied(), true, true));
        assertEquals(Settling.readBeforeFailing(lostAnswer(), true, false),
                Settling.needsRead(lostAnswer(), true, false));
    }

    @Test
    void aNotFoundAfterALostAnswerMeansTheLostAttemptDeletedTheRecord() {
        assertTrue(Settling.deletedByLostAttempt(notFound(), true, true));
        assertFalse(Settling.deletedByLostAttempt(notFound(), true, false), "no lost answer before it");
        assertFalse(Settling.deletedByLostAttempt(notFound(), false, true), "an unbinding deletes no record");
        assertFalse(Settling.deletedByLostAttempt(denied(), true, true));
    }

    @Test
    void aReadOfTheRecordSettlesAFailureOnIt() {
        Failure undecided = undecided();
        assertSame(undecided, Settling.afterRead(undecided, LEAD, Set.of(12), null, false),
                "the record is there: the error stands");
        Failure gone = Settling.afterRead(undecided, LEAD, Set.of(), null, false);
        assertEquals(FailureKind.NOT_FOUND, gone.kind(), gone.getMessage());
        assertNull(Settling.afterRead(lostAnswer(), LEAD, Set.of(), null, false),
                "gone after its own answer was lost: that attempt deleted it");
        assertNull(Settling.afterRead(denied(), LEAD, Set.of(), null, true),
                "gone after an earlier attempt's answer was lost: that attempt deleted it");
        Failure unread = Settling.afterRead(undecided, LEAD, null, new ConnectException("refused"), false);
        assertEquals(FailureKind.INVALID_REQUEST, unread.kind());
        assertTrue(unread.getMessage().contains("whether lead 12 still exists could not be read (ConnectException)"),
                unread.getMessage());
    }
}
