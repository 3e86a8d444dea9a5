package io.camelbitrix24.crm.springboot;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelbitrix24.crm.Bitrix24CrmComponent;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The starter in a Spring Boot application configured by application.yml, the webhook from an environment-style
 * placeholder: a route deletes through the emulator, the portal's health shows in Actuator's health, and the
 * webhook code is in no Actuator report and no log line.
 */
@SpringBootTest(classes = DeletingApplication.class)
@ExtendWith(OutputCaptureExtension.class)
class Bitrix24CrmSpringBootTest {

    private static final String CODE = "spr1ngB00tW3bhook";
    private static final Bitrix24Emulator PORTAL = Bitrix24Emulator.builder().webhook(1, CODE).start();

    /** What BITRIX24_WEBHOOK_URL would hold in the pod's environment. */
    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("BITRIX24_WEBHOOK_URL", PORTAL::webhookUrl);
    }

    @AfterAll
    static void stopPortal() {
        PORTAL.close();
    }

    @Autowired
    private CamelContext camelContext;
    @Autowired
    private ProducerTemplate template;
    @Autowired
    private ConfigurationPropertiesReportEndpoint configprops;
    @Autowired
    private EnvironmentEndpoint env;
    @Autowired
    private ApplicationContext app;

    @Test
    void aRouteDeletesThroughTheComponentConfiguredFromApplicationYml(CapturedOutput output) throws Exception {
        int lead = PORTAL.data().addLead("L", "NEW");
        Exchange out = template.request("direct:delete", e -> e.getMessage().setBody(lead));
        assertNull(out.getException());
        assertFalse(PORTAL.data().hasLead(lead));
        Bitrix24CrmComponent component = camelContext.getComponent("bitrix24-crm", Bitrix24CrmComponent.class);
        assertEquals(PORTAL.webhookUrl(), component.getConfiguration().getWebhookUrl(), "the starter copied the option");
        assertTrue(component.getConfiguration().isAllowInsecureHttp());

        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        String configReport = json.writeValueAsString(configprops.configurationProperties());
        String envReport = json.writeValueAsString(env.environment(null));
        assertTrue(configReport.contains("camel.component.bitrix24-crm"), "the options are reported");
        assertTrue(configReport.contains("webhookUrl"), "by name");
        assertFalse(configReport.contains(CODE), "configprops masks the webhook URL");
        assertFalse(envReport.contains(CODE), "env masks it too");
        // application.yml sets io.camelbitrix24 to TRACE; the component's most detailed line for a call is the
        // producer's DEBUG one (it writes nothing at TRACE), which only that setting lets through: this call's, by its id
        String calling = "Calling crm.lead.delete for exchange " + out.getExchangeId();
        assertTrue(output.getAll().lines().anyMatch(line -> line.contains("DEBUG") && line.contains(calling)),
                "the component's own line for this call, at the level application.yml sets: " + calling);
        assertFalse(output.getAll().contains(CODE), "no log line holds the webhook code");
    }

    @Test
    void actuatorHealthShowsThePortalUp() throws Exception {
        template.request("direct:delete", e -> e.getMessage().setBody(987_654));
        String report = ActuatorHealth.report(app);
        assertTrue(report.contains("producer:bitrix24-crm:" + PORTAL.baseUrl()), report);
        assertTrue(report.contains("\"status\":\"UP\""), report);
        assertFalse(report.contains(CODE), report);
        assertEquals(1, PORTAL.requests().count("scope"), "one scope read behind the health report");
    }
}
