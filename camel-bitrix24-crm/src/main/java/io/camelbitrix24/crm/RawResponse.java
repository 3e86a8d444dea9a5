package io.camelbitrix24.crm;

/** An HTTP answer as it came off the wire: status, content type and the (size-capped) body. */
record RawResponse(int status, String contentType, byte[] body) {
}
