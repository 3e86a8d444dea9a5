/**
 * Camel health checks: one per portal with one portal's credentials, one for all portals in many-portal mode; each
 * probe bounded in time and its answer kept for a while. Internal: not exported from the OSGi bundle.
 */
package io.camelbitrix24.crm.internal.health;
