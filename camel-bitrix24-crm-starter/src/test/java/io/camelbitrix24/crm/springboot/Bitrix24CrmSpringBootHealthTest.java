package io.camelbitrix24.crm.springboot;


import io.camelbitrix24.emulator.Bitrix24Emulator;
import io.camelbitrix24.testing.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Actuator's health in Spring Boot for each reason a portal is DOWN: refused credentials, no crm scope, no answer. */
class Bitrix24CrmSpringBootHealthTest {

    private static final String CODE = "h3althSpr1ng";
    private static final Bitrix24Emulator PORTAL = Bitrix24Emulator.builder().webhook(1, CODE).start();

    static {
        PORTAL.access().addWebhook(2, "tasks" + CODE, "task");
    }

    @AfterAll
    static void stop() {
        PORTAL.close();
    }

    /** Actuator's health report of an application whose webhook is {@code webhookUrl}. */
    private static String health(String webhookUrl) throws Exception {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(DeletingApplication.class)
                .web(WebApplicationType.NONE)
                // not a web application: camel-platform-http-starter 4.22, on this class path for the event tests,
                // would ask for a web server's settings
                .properties("spring.autoconfigure.exclude=org.apache.camel.component.platform.http.springboot"
                            + ".SpringBootPlatformHttpAutoConfiguration,org.apache.camel.component.platform.http"
                            + ".springboot.SpringBootPlatformWebMvcConfiguration",
                        "BITRIX24_WEBHOOK_URL=" + webhookUrl, "camel.component.bitrix24-crm.connect-timeout=1000",
                        "camel.component.bitrix24-crm.response-timeout=1000")
                .run()) {
            return ActuatorHealth.report(app);
        }
    }

    private static void assertDown(String report, String reason) {
        assertTrue(report.contains("\"status\":\"DOWN\""), report);
        assertTrue(report.contains(reason), report);
        assertFalse(report.contains(CODE), report);
    }

    @Test
    void refusedCredentials() throws Exception {
        assertDown(health(PORTAL.baseUrl() + "/rest/1/not" + CODE + "/"), "AUTHENTICATION_REFUSED");
    }

    @Test
    void noCrmScope() throws Exception {
        assertDown(health(PORTAL.baseUrl() + "/rest/2/tasks" + CODE + "/"), "CRM_SCOPE_MISSING");
    }

    @Test
    void noAnswer() throws Exception {
        int closed = Ports.unused();
        assertDown(health("http://127.0.0.1:" + closed + "/rest/1/" + CODE + "/"), "PORTAL_UNREACHABLE");
    }
}
