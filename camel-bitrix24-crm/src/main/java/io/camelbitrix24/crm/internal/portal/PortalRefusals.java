package io.camelbitrix24.crm.internal.portal;

import io.camelbitrix24.crm.internal.call.Failure;

/** Why a call to one of many portals was not sent: each an authentication failure, saying nothing was sent. */
final class PortalRefusals {

    private PortalRefusals() {
    }

    static Failure notInstalled(String portal, String method) {
        return Failure.authentication("The application is not installed on portal " + portal
                                      + " (no installation in the portal registry); nothing was sent", method, null,
                false);
    }

    static Failure refused(String portal, String method, String refusal) {
        return Failure.authentication("Bitrix24 refused the application on portal " + portal + " (" + refusal
                                      + "); nothing was sent", method, refusal, false);
    }

    static Failure stopping(String portal, String method) {
        return Failure.authentication("The endpoint serving portal " + portal + " is stopping; nothing was sent",
                method, null, true);
    }

    /** The registry threw: worth a retry. Its class alone, as a registry's message may quote its address and password. */
    static Failure registryUnread(String portal, String method, Throwable error) {
        return Failure.authentication("The portal registry could not be read for portal " + portal + " ("
                                      + error.getClass().getName() + "); nothing was sent", method, null, true);
    }
}
