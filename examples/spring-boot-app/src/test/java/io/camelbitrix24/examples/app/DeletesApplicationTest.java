package io.camelbitrix24.examples.app;

import java.nio.file.Path;

import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The application starts on the line its BOMs name, one Camel and one HttpCore on the class path, and deletes. */
@SpringBootTest
class DeletesApplicationTest {

    private static final Bitrix24Emulator PORTAL = Bitrix24Emulator.builder().webhook(1, "app-test-code").start();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("BITRIX24_WEBHOOK_URL", PORTAL::webhookUrl);
    }

    @AfterAll
    static void stopPortal() {
        PORTAL.close();
    }

    @Autowired
    private CamelContext camel;
    @Autowired
    private ProducerTemplate template;

    @Test
    void oneCamelLineIsOnTheClassPath() throws Exception {
        String camelVersion = System.getProperty("expected.camel.version");
        assertEquals(camelVersion, camel.getVersion(), "Camel's engine");
        // the modules the component uses, as the application resolved them
        for (String type : new String[] { "org.apache.camel.support.DefaultComponent", "org.apache.camel.Component",
                "org.apache.camel.http.base.HttpOperationFailedException", "org.apache.camel.component.jackson.JacksonDataFormat",
                "org.apache.camel.impl.health.DefaultHealthCheckRegistry" }) {
            String jar = jarOf(type);
            assertTrue(jar.endsWith("-" + camelVersion + ".jar"), type + " comes from " + jar);
        }
        String httpCore = jarOf("org.apache.hc.core5.http.HttpHost");
        assertTrue(httpCore.startsWith("httpcore5-" + System.getProperty("expected.httpcore.line") + "."), httpCore);
    }

    @Test
    void aRouteDeletesALead() {
        int lead = PORTAL.data().addLead("L", "NEW");
        Exchange out = template.request("direct:delete", e -> e.getMessage().setBody(lead));
        assertNull(out.getException());
        assertFalse(PORTAL.data().hasLead(lead), "deleted on the portal");
    }

    private static String jarOf(String type) throws Exception {
        Class<?> loaded = Class.forName(type);
        return Path.of(loaded.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName().toString();
    }
}
