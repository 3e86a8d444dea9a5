/**
 * Sending calls: each waits for its turn at the portal's limiter, leaves alone or coalesced into a batch call, is
 * retried within its budget, and has an undecided or lost answer settled by reading the record. Batch bodies are cut
 * into batch calls here too. Internal: not exported from the OSGi bundle.
 */
package io.camelbitrix24.crm.internal.send;
