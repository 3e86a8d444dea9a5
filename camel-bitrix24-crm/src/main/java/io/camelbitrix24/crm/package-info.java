/**
 * The Camel surface: the {@code bitrix24-crm} component, its endpoint, options, producers, headers and the exceptions a
 * route catches. It wires the machinery under {@code internal}, which never reaches back up. Exported from the OSGi
 * bundle, with {@code spi}.
 */
package io.camelbitrix24.crm;
