package io.camelbitrix24.benchmarks;

import java.net.Socket;

import io.camelbitrix24.crm.Bitrix24CrmComponent;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import io.camelbitrix24.testing.EmulatorTrust;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

/** Helpers the benchmarks share: seeding the emulator and a Camel context pointed at it. */
final class Portals {

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
