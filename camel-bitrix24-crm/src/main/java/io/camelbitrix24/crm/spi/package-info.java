/**
 * What users implement or pass in: where OAuth tokens are kept, where installations live, and a rate limiter shared
 * between JVMs, with the key it is given. Exported from the OSGi bundle; depends on nothing of the component.
 */
package io.camelbitrix24.crm.spi;
