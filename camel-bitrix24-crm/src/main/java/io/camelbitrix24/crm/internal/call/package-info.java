/**
 * What every call shares, below the Camel surface: the rules for URLs and for the futures calls complete with.
 * Internal: not exported from the OSGi bundle.
 */
package io.camelbitrix24.crm.internal.call;
