package io.camelbitrix24.crm.internal.http;

/** An HTTP answer as it came off the wire: status, content type and the (size-capped) body. */
public record RawResponse(int status, String contentType, byte[] body) {
}
