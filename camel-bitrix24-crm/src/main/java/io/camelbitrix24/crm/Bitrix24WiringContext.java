package io.camelbitrix24.crm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelbitrix24.crm.internal.call.RequestBuilder;
import io.camelbitrix24.crm.internal.http.HttpTransport;
import io.camelbitrix24.crm.internal.send.RetryPolicy;

/**
 * What an endpoint hands its mode's wiring when it starts, so that the wiring needs nothing else of it.
 * {@code owner}: the endpoint, by identity only (whose calls may leave together).
 */
record Bitrix24WiringContext(Object owner, String endpointUri, Bitrix24CrmConfiguration config,
                             Bitrix24SharedResources shared, ObjectMapper mapper, RequestBuilder requestBuilder,
                             HttpTransport transport, RetryPolicy retryPolicy, long callDeadlineMillis,
                             boolean healthChecks) {
}
