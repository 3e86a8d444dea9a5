package io.camelbitrix24.crm.internal.call;

import java.util.concurrent.CompletionException;

/** What the component's futures complete with. */
public final class Futures {

    private Futures() {
    }

    /** The failure itself, out of the CompletionExceptions that chained futures wrap it in. */
    public static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
