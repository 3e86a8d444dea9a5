package io.camelbitrix24.emulator;

/** Thrown by a method implementation to answer with a Bitrix24 error. */
final class MethodException extends RuntimeException {

    private final Bitrix24Error error;

    MethodException(Bitrix24Error error) {
        super(error.code() + ": " + error.description(), null, false, false);
        this.error = error;
    }

    Bitrix24Error error() {
        return error;
    }
}
