package io.camelbitrix24.crm;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A Bitrix24 method and its JSON parameters, ready to send. */
record Bitrix24Call(String method, ObjectNode params) {
}
