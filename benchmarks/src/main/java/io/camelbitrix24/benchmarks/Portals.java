package io.camelbitrix24.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.camelbitrix24.crm.Bitrix24CrmComponent;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import io.camelbitrix24.testing.EmulatorTrust;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

/** Helpers the benchmarks share: seeding the emulator and a Camel context pointed at it. */
final class Portals {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Portals() {
    }

    static int[] seedLeads(Bitrix24Emulator portal, int count) {
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = portal.data().addLead("Lead " + i, "NEW");
        }
        return ids;
    }

    /** A context whose bitrix24-crm component uses the portal's webhook, with the client limiter as given. */
    static CamelContext camel(Bitrix24Emulator portal, int burst, double perSecond) {
        CamelContext context = new DefaultCamelContext();
        Bitrix24CrmComponent component = new Bitrix24CrmComponent();
        component.getConfiguration().setWebhookUrl(portal.webhookUrl());
        component.getConfiguration().setAllowInsecureHttp(true);
        component.getConfiguration().setRateLimitBurst(burst);
        component.getConfiguration().setRateLimitPerSecond(perSecond);
        context.addComponent("bitrix24-crm", component);
        return context;
    }

    /** The same, over HTTPS, trusting the emulator's certificate. */
    static CamelContext camelOverTls(Bitrix24Emulator portal, int burst, double perSecond) {
        CamelContext context = camel(portal, burst, perSecond);
        Bitrix24CrmComponent component = context.getComponent("bitrix24-crm", Bitrix24CrmComponent.class);
        component.getConfiguration().setSslContextParameters(EmulatorTrust.sslContextParameters());
        component.getConfiguration().setAllowInsecureHttp(false);
        return context;
    }

    static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** The emulator's certificate in a temporary PEM file, for Node to trust; the caller deletes it. */
    static Path emulatorCertificate() throws IOException {
        Path pem = Files.createTempFile("bitrix24-emulator", ".pem");
        try (InputStream in = Bitrix24Emulator.class.getClassLoader()
                .getResourceAsStream(Bitrix24Emulator.CERTIFICATE_PEM_RESOURCE)) {
            Files.write(pem, in.readAllBytes());
        }
        return pem;
    }

    /**
     * Runs one of the Node peer scripts against the portal ({@code script webhookUrl userId leads burst rate}),
     * trusting the emulator's certificate ({@code pem}), and answers the JSON of its last line.
     */
    static JsonNode runNodeScript(File nodeDir, Path pem, String script, Bitrix24Emulator portal, int leads, int burst,
                                  double rate, long timeoutMinutes) throws Exception {
        ProcessBuilder command = new ProcessBuilder("node", script, portal.webhookUrl().replaceAll("/$", ""), "1",
                String.valueOf(leads), String.valueOf(burst), String.valueOf(rate))
                .directory(nodeDir).redirectErrorStream(true);
        // the SDK speaks HTTPS only: trust the emulator's self-signed certificate
        command.environment().put("NODE_EXTRA_CA_CERTS", pem.toString());
        Process node = command.start();
        node.getOutputStream().close();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!node.waitFor(timeoutMinutes, TimeUnit.MINUTES) || node.exitValue() != 0) {
            throw new IllegalStateException("the JS SDK run failed: " + output);
        }
        String[] lines = output.strip().split("\n");
        return MAPPER.readTree(lines[lines.length - 1]);
    }

    /** Waits up to ten seconds for something to listen on the loopback {@code port}: the standalone emulator. */
    static void waitForPort(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (Exception e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the standalone emulator did not start on port " + port);
    }
}
