package io.camelbitrix24.crm.internal.portal;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.camelbitrix24.crm.internal.send.CallRunner;
import io.camelbitrix24.crm.internal.send.PortalActivity;

/**
 * The calls' way to one installation: its runner; what its calls are doing; whether what it shares with other endpoints is quiet (the
 * bucket drained, no refresh under way); how to let go of that; and how to refuse the calls still waiting to leave
 * (the installation is gone).
 */
public record PortalWay(CallRunner runner, PortalActivity activity, BooleanSupplier quiet, Runnable release,
                        Consumer<String> revoke) {
}
