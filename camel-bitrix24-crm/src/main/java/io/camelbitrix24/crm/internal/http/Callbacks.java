package io.camelbitrix24.crm.internal.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOSession;

/** HttpCore's callbacks as steps of a future: go on with the value, or fail the future. */
final class Callbacks {

    private Callbacks() {
    }

    /** A callback that goes on with {@code next}, or fails {@code result}. */
    static <T> FutureCallback<T> of(CompletableFuture<?> result, Consumer<T> next) {
        return of(result, () -> { }, next);
    }

    /** A callback that goes on with {@code next}, or closes the half-made connection and fails {@code ready}. */
    static <T> FutureCallback<T> orClose(IOSession session, CompletableFuture<IOSession> ready, Consumer<T> next) {
        return of(ready, () -> session.close(CloseMode.IMMEDIATE), next);
    }

    /** A callback that goes on with {@code next}, or runs {@code beforeFailing} and fails {@code result}. */
    static <T> FutureCallback<T> of(CompletableFuture<?> result, Runnable beforeFailing, Consumer<T> next) {
        return new FutureCallback<>() {
            @Override
            public void completed(T value) {
                next.accept(value);
            }

            @Override
            public void failed(Exception ex) {
                beforeFailing.run();
                result.completeExceptionally(ex);
            }

            @Override
            public void cancelled() {
                beforeFailing.run();
                result.completeExceptionally(new TimeoutException("connect cancelled"));
            }
        };
    }
}
