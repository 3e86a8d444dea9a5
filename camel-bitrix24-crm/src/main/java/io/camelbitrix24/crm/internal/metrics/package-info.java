/**
 * The component's meters in the application's Micrometer registry: the one package that touches Micrometer, loaded
 * only when Micrometer is on the class path and a registry is bound. Internal: not exported from the OSGi bundle.
 */
package io.camelbitrix24.crm.internal.metrics;
