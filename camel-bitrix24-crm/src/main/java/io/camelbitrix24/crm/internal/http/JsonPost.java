package io.camelbitrix24.crm.internal.http;

import java.net.URI;

/** A JSON POST as it leaves: its URI, on the host of the route it was queued for, and its body. */
public record JsonPost(URI uri, byte[] body) {
}
