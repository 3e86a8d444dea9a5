package io.camelbitrix24.emulator;

/**
 * The server faults the emulator can inject. Each says whether the method ran before things went wrong: a client that
 * sees no readable answer cannot tell, which is what makes the faults after the work worth testing.
 */
public enum Fault {

    /** HTTP 500 {@code INTERNAL_SERVER_ERROR}; nothing was done. */
    SERVER_ERROR(false),
    /** HTTP 503 with an empty body, as a load balancer with no backend answers; nothing was done. */
    SERVICE_UNAVAILABLE(false),
    /** HTTP 503 {@code QUERY_LIMIT_EXCEEDED}, whatever the bucket holds; nothing was done. */
    QUERY_LIMIT_EXCEEDED(false),
    /** The connection is closed without an answer before the method runs. */
    RESET_BEFORE_ANSWER(false),
    /** The method runs (the delete is applied), then the connection is closed without an answer. */
    RESET_AFTER_APPLY(true),
    /** The method runs and its answer is sent only after {@code slowAnswerDelay}, past a client's timeout. */
    SLOW_ANSWER(true),
    /** A reverse proxy's HTML page with HTTP 502; the request never reached the portal. */
    HTML_502(false),
    /** The method runs; its JSON answer is cut short. */
    TRUNCATED_JSON(true),
    /** The method runs; the answer is HTTP 200 with a body that is not JSON (a PHP notice before the output). */
    NON_JSON_200(true),
    /** The method runs; the answer is HTTP 200 with a body larger than any sane answer (4 MiB). */
    OVERSIZED_ANSWER(true);

    private final boolean applied;

    Fault(boolean applied) {
        this.applied = applied;
    }

    /** True when the method ran, and its change stands, before the fault. */
    public boolean applied() {
        return applied;
    }
}
