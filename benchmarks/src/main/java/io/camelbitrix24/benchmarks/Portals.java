package io.camelbitrix24.benchmarks;

import io.camelbitrix24.crm.Bitrix24CrmComponent;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

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
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource("classpath:" + Bitrix24Emulator.TRUSTSTORE_RESOURCE);
        store.setPassword(Bitrix24Emulator.STORE_PASSWORD);
        store.setType("PKCS12");
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(store);
        SSLContextParameters tls = new SSLContextParameters();
        tls.setTrustManagers(trust);
        Bitrix24CrmComponent component = context.getComponent("bitrix24-crm", Bitrix24CrmComponent.class);
        component.getConfiguration().setSslContextParameters(tls);
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
}
