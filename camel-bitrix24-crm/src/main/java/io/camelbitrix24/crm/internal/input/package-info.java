/**
 * What an exchange asks for: the ids of a delete or a batch read from its headers and body, and an application's
 * installation events; bad input fails here, before anything is sent. Internal: not exported from the OSGi bundle.
 */
package io.camelbitrix24.crm.internal.input;
