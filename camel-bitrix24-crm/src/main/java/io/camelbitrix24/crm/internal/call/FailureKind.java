package io.camelbitrix24.crm.internal.call;

/** What kind of failure a call met: each kind is one public exception type at the Camel surface. */
public enum FailureKind {
    /** The exchange's input was wrong; nothing was sent. */
    VALIDATION,
    NOT_FOUND,
    ACCESS_DENIED,
    AUTHENTICATION,
    RATE_LIMIT,
    /** The portal refused the request as it was formed, or its answer could not be told apart from that. */
    INVALID_REQUEST,
    SERVER,
    /** A command a batch did not run, as it halted at an earlier one. */
    NOT_RUN
}
