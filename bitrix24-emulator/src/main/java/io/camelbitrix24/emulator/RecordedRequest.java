package io.camelbitrix24.emulator;

import java.util.Map;

/**
 * One REST call as the emulator received it: the method (without {@code .json}), the parameters it parsed from query
 * and body, and the request's {@code User-Agent}. Auth parameters are kept out.
 */
public record RecordedRequest(String method, Map<String, Object> params, String userAgent, String contentType) {
}
