package io.camelbitrix24.emulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;

/** What an injected {@link Fault} looks like on the wire. */
final class FaultAnswers {

    private FaultAnswers() {
    }

    /**
     * Answers with {@code fault}, running the method first for the kinds that fail after the work. Returning without
     * sending an answer makes the JDK server close the connection: the client sees it dropped mid-call.
     */
    static void answer(HttpExchange exchange, Fault fault, Supplier<Answer> method, long slowAnswerMillis)
            throws IOException {
        Answer ran = fault.applied() ? method.get() : null;
        switch (fault) {
            case SERVER_ERROR -> AnswerWriter.send(exchange, Answer.error(Bitrix24Error.INTERNAL_SERVER_ERROR));
            case SERVICE_UNAVAILABLE -> AnswerWriter.send(exchange, new Answer(503, "text/html", new byte[0]));
            case QUERY_LIMIT_EXCEEDED -> AnswerWriter.send(exchange, Answer.error(Bitrix24Error.QUERY_LIMIT_EXCEEDED));
            case RESET_BEFORE_ANSWER, RESET_AFTER_APPLY -> {
                // no answer: the exchange closes with the connection
            }
            case SLOW_ANSWER -> {
                AnswerWriter.pause(slowAnswerMillis);
                AnswerWriter.send(exchange, ran);
            }
            case HTML_502 -> AnswerWriter.send(exchange, Answer.proxyErrorPage());
            case TRUNCATED_JSON -> AnswerWriter.send(exchange, new Answer(ran.status(), ran.contentType(),
                    Arrays.copyOf(ran.body(), ran.body().length / 2)));
            case NON_JSON_200 -> AnswerWriter.send(exchange, Answer.raw(200, "text/html; charset=utf-8",
                    "<br />\n<b>Notice</b>: Undefined index: ID in <b>/home/bitrix/www/bitrix/modules/crm/lib/"
                    + "rest.php</b> on line <b>42</b><br />\n" + new String(ran.body(), StandardCharsets.UTF_8)));
            case OVERSIZED_ANSWER -> AnswerWriter.send(exchange, Answer.oversized(FaultInjection.OVERSIZED_BYTES));
        }
    }
}
