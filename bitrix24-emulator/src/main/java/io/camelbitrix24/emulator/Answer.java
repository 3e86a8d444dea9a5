package io.camelbitrix24.emulator;

import java.nio.charset.StandardCharsets;

/**
 * A raw HTTP answer the emulator sends instead of running the method: used to script server faults (an error code, a
 * proxy's HTML page, a truncated body) for the next requests.
 */
public record Answer(int status, String contentType, byte[] body, long delayMillis) {

    public Answer(int status, String contentType, byte[] body) {
        this(status, contentType, body, 0);
    }

    /** This answer, sent only after a pause: past a client's response timeout, it is an answer that never came. */
    public Answer delayedBy(long millis) {
        return new Answer(status, contentType, body, millis);
    }

    /** The normal answer of the method, sent after a pause. */
    public static Answer slow(long millis) {
        return new Answer(0, null, new byte[0], millis);
    }

    /**
     * An HTTP 200 answer whose JSON body never ends: a byte every 50 ms, each within any read timeout, until the client
     * gives up (or a minute passes).
     */
    public static Answer endless() {
        return new Answer(-1, "application/json; charset=utf-8", new byte[0]);
    }

    boolean isEndless() {
        return status == -1;
    }

    /** True for {@link #slow(long)}: run the method as usual, only later. */
    boolean runsMethod() {
        return status == 0;
    }

    /** An answer of {@code size} bytes of valid JSON, larger than any real delete answer. */
    public static Answer oversized(int size) {
        StringBuilder json = new StringBuilder(size + 64).append("{\"result\":true,\"padding\":\"");
        while (json.length() < size) {
            json.append("0123456789abcdef");
        }
        return raw(200, "application/json; charset=utf-8", json.append("\"}").toString());
    }

    public static Answer error(Bitrix24Error error) {
        return new Answer(error.status(), "application/json; charset=utf-8", Json.errorBody(error));
    }

    public static Answer error(int status, String code, String description) {
        return error(new Bitrix24Error(status, code, description));
    }

    public static Answer raw(int status, String contentType, String body) {
        return new Answer(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** The 502 page a reverse proxy in front of a portal serves when the backend is down. */
    public static Answer proxyErrorPage() {
        return raw(502, "text/html; charset=utf-8",
                "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>"
                                                    + "<hr><center>nginx</center></body></html>");
    }

    /** A JSON answer cut short, as a dropped upstream connection leaves it. */
    public static Answer truncatedJson() {
        return raw(200, "application/json; charset=utf-8", "{\"result\":true,\"time\":{\"start\":17057649");
    }
}
