/**
 * The component's one dependency on an HTTP library (Apache HttpComponents 5, as Camel HTTP brings it), behind
 * {@link io.camelbitrix24.crm.internal.http.HttpTransport}. Internal: not exported from the OSGi bundle, and not part of the
 * component's public API, which is the {@code io.camelbitrix24.crm} package.
 * <p>
 * Only HttpCore and HttpClient API that both lines used by Camel's LTS releases carry is used (HttpCore 5.3 and 5.4,
 * HttpClient 5.5 and 5.6): their bootstrap, public calls and pool, never a subclass of a class whose constructor
 * changes between them.
 */
package io.camelbitrix24.crm.internal.http;
