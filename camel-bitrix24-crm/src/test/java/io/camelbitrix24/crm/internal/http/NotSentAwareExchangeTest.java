package io.camelbitrix24.crm.internal.http;

import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.entity.DiscardingEntityConsumer;
import org.apache.hc.core5.http.nio.support.BasicClientExchangeHandler;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.nio.support.BasicResponseConsumer;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What HttpCore fails or cancels before a request started never left; after, it may have. */
class NotSentAwareExchangeTest {

    private final CompletableFuture<Message<HttpResponse, Void>> outcome = new CompletableFuture<>();

    private NotSentAwareExchange exchange() {
        return new NotSentAwareExchange(new BasicClientExchangeHandler<Message<HttpResponse, Void>>(
                new BasicRequestProducer(new BasicHttpRequest(Method.POST, "http://portal.example/rest/m"), null),
                new BasicResponseConsumer<>(new DiscardingEntityConsumer<Void>()), new FutureCallback<>() {
                    @Override
                    public void completed(Message<HttpResponse, Void> result) {
                        outcome.complete(result);
                    }

                    @Override
                    public void failed(Exception ex) {
                        outcome.completeExceptionally(ex);
                    }

                    @Override
                    public void cancelled() {
                        outcome.cancel(false);
                    }
                }));
    }

    private Throwable failure() {
        return assertThrows(ExecutionException.class, outcome::get).getCause();
    }

    @Test
    void aFailureBeforeTheRequestStartedIsNotSent() {
        SocketTimeoutException timeout = new SocketTimeoutException("idle connection timed out");
        exchange().failed(timeout);
        RequestNotSentException notSent = assertInstanceOf(RequestNotSentException.class, failure());
        assertSame(timeout, notSent.getCause());
    }

    @Test
    void aCancelBeforeTheRequestStartedIsNotSentEither() {
        exchange().cancel();
        assertInstanceOf(RequestNotSentException.class, failure());
    }

    @Test
    void aFailureOnceTheRequestStartedIsPassedOnAsItCame() throws Exception {
        NotSentAwareExchange exchange = exchange();
        // HttpCore asks for the request when it starts sending it
        exchange.produceRequest((request, entity, context) -> { }, HttpCoreContext.create());
        ConnectionClosedException closed = new ConnectionClosedException();
        exchange.failed(closed);
        assertSame(closed, failure());
    }
}
