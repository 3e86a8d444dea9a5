package io.camelbitrix24.examples.app;

import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Pattern;

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
        // every jar on the class path, as the application's class loader sees it (each has a manifest): every Camel
        // module among them (camel-*, Camel's Spring Boot starters included; ours are camel-bitrix24-*) of one line
        List<String> jars = jarsOnTheClassPath();
        List<String> camelModules = jars.stream()
                .filter(jar -> jar.startsWith("camel-") && !jar.startsWith("camel-bitrix24-")).toList();
        assertTrue(camelModules.size() >= 10, "the Camel modules were found on the class path: " + camelModules);
        List<String> otherLine = camelModules.stream().filter(jar -> !jar.endsWith("-" + camelVersion + ".jar")).toList();
        assertEquals(List.of(), otherLine, "Camel modules not of " + camelVersion);
        // every HttpCore jar (httpcore5, httpcore5-h2, ...) of the expected line
        List<String> httpCores = jars.stream().filter(jar -> jar.startsWith("httpcore5")).toList();
        assertFalse(httpCores.isEmpty(), "HttpCore is on the class path: " + jars);
        String httpCoreLine = System.getProperty("expected.httpcore.line");
        httpCores.forEach(jar -> assertTrue(jar.matches("httpcore5(-[a-z0-9]+)?-" + Pattern.quote(httpCoreLine) + "\\..*"),
                jar + " is not of HttpCore " + httpCoreLine));
    }

    /** The file name of every jar the class loader reads (one manifest each), in class path order. */
    private static List<String> jarsOnTheClassPath() throws Exception {
        List<String> jars = new ArrayList<>();
        Enumeration<URL> manifests = DeletesApplicationTest.class.getClassLoader().getResources("META-INF/MANIFEST.MF");
        while (manifests.hasMoreElements()) {
            String url = manifests.nextElement().toString();
            if (url.startsWith("jar:file:")) {
                String path = url.substring("jar:".length(), url.indexOf("!/"));
                jars.add(Path.of(new URI(path)).getFileName().toString());
            }
        }
        return jars;
    }

    @Test
    void aRouteDeletesALead() {
        int lead = PORTAL.data().addLead("L", "NEW");
        Exchange out = template.request("direct:delete", e -> e.getMessage().setBody(lead));
        assertNull(out.getException());
        assertFalse(PORTAL.data().hasLead(lead), "deleted on the portal");
    }
}
