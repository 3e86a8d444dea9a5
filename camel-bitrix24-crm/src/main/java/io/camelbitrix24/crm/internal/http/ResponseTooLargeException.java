package io.camelbitrix24.crm.internal.http;

import java.io.IOException;

/** The answer grew past the configured cap; reading stopped there. */
public final class ResponseTooLargeException extends IOException {

    ResponseTooLargeException(long limit) {
        super("the answer is larger than " + limit + " bytes");
    }
}
