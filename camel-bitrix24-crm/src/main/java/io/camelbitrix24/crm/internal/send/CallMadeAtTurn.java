package io.camelbitrix24.crm.internal.send;

import java.util.function.Supplier;

import io.camelbitrix24.crm.internal.call.Call;

/** A call made once, when first asked for. */
final class CallMadeAtTurn {

    private final Supplier<Call> make;
    private Call call;

    CallMadeAtTurn(Supplier<Call> make) {
        this.make = make;
    }

    synchronized Call get() {
        if (call == null) {
            call = make.get();
        }
        return call;
    }

    /** The call if it was made: a call that failed before its turn never was. */
    synchronized Call made() {
        return call;
    }
}
