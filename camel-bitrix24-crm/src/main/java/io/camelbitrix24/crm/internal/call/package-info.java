/**
 * One call to Bitrix24, as data: the operations and the method each calls, the request built from an exchange's ids,
 * the answer parsed, and every failure typed ({@link io.camelbitrix24.crm.internal.call.Failure}) whatever the portal's
 * language. Nothing here sends: the send package does. Internal: not exported from the OSGi bundle.
 */
package io.camelbitrix24.crm.internal.call;
