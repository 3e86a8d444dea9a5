package io.camelbitrix24.crm;

import java.util.Map;
import java.util.function.Consumer;

import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Runs each test class against its own emulated portal on loopback, with the component configured once (as users do with
 * {@code camel.component.bitrix24-crm.*}) to use its webhook.
 */
abstract class Bitrix24TestSupport extends CamelTestSupport {

    static final String WEBHOOK_CODE = "w3bh00kS3cretCode";

    protected static Bitrix24Emulator portal;

    @BeforeAll
    static void startPortal() {
        portal = Bitrix24Emulator.builder().webhook(1, WEBHOOK_CODE).start();
    }

    @AfterAll
    static void stopPortal() {
        portal.close();
    }

    @BeforeEach
    void resetPortal() {
        portal.clearScript();
        portal.faults().clear();
        portal.requests().reset();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        Bitrix24CrmComponent component = new Bitrix24CrmComponent();
        configure(component.getConfiguration());
        context.addComponent("bitrix24-crm", component);
        return context;
    }

    /** The component's shared options; subclasses may change them. */
    protected void configure(Bitrix24CrmConfiguration configuration) {
        EmulatorContext.wire(configuration, portal);
    }

    /** Sends to an endpoint and answers the exchange, with its exception if the delete failed. */
    protected Exchange send(String uri, Object body, Object idHeader, Object contactIdHeader) {
        return template.request(uri, e -> {
            e.getMessage().setBody(body);
            if (idHeader != null) {
                e.getMessage().setHeader(Bitrix24CrmConstants.ID, idHeader);
            }
            if (contactIdHeader != null) {
                e.getMessage().setHeader(Bitrix24CrmConstants.CONTACT_ID, contactIdHeader);
            }
        });
    }

    /**
     * Routes where a Bitrix24Exception is handled and goes to {@code mock:error}, and each key of {@code routes} (a
     * {@code direct:} URI) leads through its value (a {@code bitrix24-crm:} URI) to {@code mock:done}; {@code more}
     * adds routes of the test's own.
     */
    static RouteBuilder throughToMocks(Map<String, String> routes, Consumer<RouteBuilder> more) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                onException(Bitrix24Exception.class).handled(true).to("mock:error");
                routes.forEach((from, to) -> from(from).to(to).to("mock:done"));
                more.accept(this);
            }
        };
    }

    static RouteBuilder throughToMocks(Map<String, String> routes) {
        return throughToMocks(routes, builder -> { });
    }
}
