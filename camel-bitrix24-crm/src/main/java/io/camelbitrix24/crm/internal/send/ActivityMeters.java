package io.camelbitrix24.crm.internal.send;

/**
 * Where the component's activity goes besides its own figures: meters in a registry, when the application has one.
 * The default records nothing. Calls' threads call it: an implementation never blocks.
 */
public interface ActivityMeters {

    ActivityMeters NONE = new ActivityMeters() {
    };

    /** A request left for {@code portal} after waiting {@code waitedNanos} for its turn. */
    default void request(String portal, PortalActivity.RequestKind kind, long waitedNanos) {
    }

    /** The portal refused a call for its limits, with this code. */
    default void refusal(String portal, String code) {
    }

    /** A call to the portal is sent again. */
    default void retry(String portal) {
    }

    /** An exchange or batch item ended: {@code outcome} is {@code success}, {@code not_found} or {@code failure}. */
    default void call(String method, String outcome) {
    }
}
