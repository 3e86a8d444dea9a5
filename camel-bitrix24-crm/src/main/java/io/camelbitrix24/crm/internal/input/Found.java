package io.camelbitrix24.crm.internal.input;

/** A value as found in the input, with where it was found: {@code header CamelBitrix24CrmId}, {@code body.id}. */
record Found(Object value, String field) {
}
