package io.camelbitrix24.crm.internal.input;

import io.camelbitrix24.crm.internal.call.Failure;

/**
 * The rules for header {@code CamelBitrix24CrmPortal}: an endpoint that serves many portals needs it, naming one by its
 * installation's member_id; an endpoint with one portal's credentials refuses it, as a message from outside must never
 * redirect deletes. Either refusal names the header, and nothing is sent.
 */
public final class PortalHeader {

    private static final String FIELD = "header " + Headers.PORTAL;

    private PortalHeader() {
    }

    /** Many-portal mode: the member_id the header names. */
    public static String memberIdOf(String header, String method) {
        if (header == null || header.isBlank()) {
            throw Failure.invalidInput(method, FIELD, "This endpoint serves many portals: header " + Headers.PORTAL
                                                      + " must name the portal (its installation's member_id); nothing"
                                                      + " was sent");
        }
        return MemberIds.of(header, FIELD, method, "nothing was sent");
    }

    /** One portal's credentials: the header must be absent. */
    public static void requireAbsent(String header, String method) {
        if (header != null) {
            throw Failure.invalidInput(method, FIELD, "Header " + Headers.PORTAL + " is set, but this endpoint calls one"
                                                      + " portal with its own credentials; nothing was sent (remove the"
                                                      + " header, or configure clientId and clientSecret alone to serve"
                                                      + " many portals)");
        }
    }
}
