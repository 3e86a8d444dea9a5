/**
 * OAuth: the access token a call carries, refreshed once for all the calls that found it expired, shared through a
 * token store, and an installation's lifecycle (refused, uninstalled). Internal: not exported from the OSGi bundle.
 */
package io.camelbitrix24.crm.internal.auth;
