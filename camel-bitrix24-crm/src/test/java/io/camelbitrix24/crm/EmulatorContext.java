package io.camelbitrix24.crm;

import java.util.Map;
import java.util.function.Consumer;

import io.camelbitrix24.emulator.Bitrix24Emulator;
import io.camelbitrix24.testing.EmulatorTrust;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The one place tests wire a bitrix24-crm component to an emulated portal: its webhook, and over HTTPS trust in its
 * certificate or over http plain http allowed. {@link #start} makes a started Camel context with such a component and
 * routes from {@code direct:} endpoints to the component's; {@link Bitrix24TestSupport} wires its own context with
 * {@link #wire}.
 */
final class EmulatorContext implements AutoCloseable {

    private final CamelContext camel;

    private EmulatorContext(CamelContext camel) {
        this.camel = camel;
    }

    /** Points {@code config} at the portal's webhook, as users do once for the component. */
    static void wire(Bitrix24CrmConfiguration config, Bitrix24Emulator portal) {
        config.setWebhookUrl(portal.webhookUrl());
        if (portal.baseUrl().startsWith("https:")) {
            config.setSslContextParameters(EmulatorTrust.sslContextParameters());
        } else {
            config.setAllowInsecureHttp(true);
        }
    }

    /** A bitrix24-crm component wired to {@code portal}. */
    static Bitrix24CrmComponent component(Bitrix24Emulator portal) {
        Bitrix24CrmComponent component = new Bitrix24CrmComponent();
        wire(component.getConfiguration(), portal);
        return component;
    }

    /**
     * A started context whose component is wired to {@code portal}, then given {@code options}, with a route from each
     * key of {@code routes} (a {@code direct:} URI) to its value (a {@code bitrix24-crm:} URI).
     */
    static EmulatorContext start(Bitrix24Emulator portal, Consumer<Bitrix24CrmConfiguration> options,
                                 Map<String, String> routes) throws Exception {
        Bitrix24CrmComponent component = component(portal);
        options.accept(component.getConfiguration());
        return start(component, routes);
    }

    /** A started context with {@code component} as bitrix24-crm and these routes. Fails as Camel's start fails. */
    static EmulatorContext start(Bitrix24CrmComponent component, Map<String, String> routes) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        try {
            camel.addComponent("bitrix24-crm", component);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    routes.forEach((from, to) -> from(from).to(to));
                }
            });
            camel.start();
            return new EmulatorContext(camel);
        } catch (Exception e) {
            // nothing is left running
            camel.close();
            throw e;
        }
    }

    /** One route, {@code direct:delete} to {@code bitrix24-crm:lead/delete}. */
    static EmulatorContext deletingLeads(Bitrix24Emulator portal, Consumer<Bitrix24CrmConfiguration> options)
            throws Exception {
        return start(portal, options, Map.of("direct:delete", "bitrix24-crm:lead/delete"));
    }

    CamelContext camel() {
        return camel;
    }

    /** Sends {@code body} to {@code from} and answers the exchange, with its exception if the delete failed. */
    Exchange send(String from, Object body) {
        return camel.createProducerTemplate().request(from, e -> e.getMessage().setBody(body));
    }

    /** Sends {@code body} to {@code direct:delete}. */
    Exchange delete(Object body) {
        return send("direct:delete", body);
    }

    @Override
    public void close() {
        camel.stop();
    }
}
