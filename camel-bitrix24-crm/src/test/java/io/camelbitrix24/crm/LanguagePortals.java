package io.camelbitrix24.crm;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.Exchange;

/**
 * One emulated portal per language, each with its own routes, made on first use and kept for a test class:
 * {@code en-legacy} is English with the CRM factory mode off. Webhook user 1 may do anything; a test adds users of its
 * own. Calls go without pacing, retried after 10 ms, with a 2 s response timeout.
 */
final class LanguagePortals implements AutoCloseable {

    static final String CODE = "l4ngu4geC0de";

    private final Map<String, Bitrix24Emulator> portals = new HashMap<>();
    private final Map<String, EmulatorContext> contexts = new HashMap<>();
    /** The routes of a portal, made once it has started: {@code direct:} URI to {@code bitrix24-crm:} URI. */
    private final Function<Bitrix24Emulator, Map<String, String>> routes;

    LanguagePortals(Function<Bitrix24Emulator, Map<String, String>> routes) {
        this.routes = routes;
    }

    /** The portal of {@code language}, its request log, faults and script cleared. */
    Bitrix24Emulator portal(String language) throws Exception {
        if (!portals.containsKey(language)) {
            boolean legacy = language.endsWith("-legacy");
            Bitrix24Emulator portal = Bitrix24Emulator.builder().webhook(1, CODE)
                    .language(legacy ? language.substring(0, language.indexOf('-')) : language).legacyDelete(legacy)
                    .start();
            portals.put(language, portal);
            contexts.put(language, EmulatorContext.start(portal, config -> {
                config.setRateLimitPerSecond(0);
                config.setRetryDelay(10);
                config.setResponseTimeout(2_000);
            }, routes.apply(portal)));
        }
        Bitrix24Emulator portal = portals.get(language);
        portal.requests().reset();
        portal.faults().clear();
        portal.clearScript();
        return portal;
    }

    /** The webhook URL option of another user of the portal: {@code webhookUrl=https://.../rest/2/code/}. */
    static String webhookOf(Bitrix24Emulator portal, int userId, String code) {
        return "webhookUrl=" + portal.baseUrl() + "/rest/" + userId + "/" + code + "/";
    }

    Exchange send(String language, String route, Object body) {
        return contexts.get(language).send(route, body);
    }

    @Override
    public void close() {
        contexts.values().forEach(EmulatorContext::close);
        portals.values().forEach(Bitrix24Emulator::close);
    }
}
