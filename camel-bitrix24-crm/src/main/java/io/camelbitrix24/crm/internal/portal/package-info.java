/**
 * Many-portal mode: the way to each installation (its session, bucket and coalescing), made when a call first names
 * its portal and released once it is idle. Internal: not exported from the OSGi bundle.
 */
package io.camelbitrix24.crm.internal.portal;
