package io.camelbitrix24.crm.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.camelbitrix24.crm.Bitrix24CrmConstants;
import io.camelbitrix24.testing.DeletingMainApp;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * One pod of the many-portal refresh test: a Camel Main app serving many portals with its installations in the Redis
 * registry, configured by properties only as docs/authentication.md shows. Reads the installation once (so its session
 * holds the tokens of then), waits for a go file, then deletes its share of one portal's leads at once; prints one
 * result line.
 * Arguments: Redis URI, OAuth server URL, client id, client secret, member_id, first lead id, count, go file.
 */
public final class ManyPortalsApp {

    private ManyPortalsApp() {
    }

    /**
     * Camel Main's properties of a pod serving many portals with its installations in Redis, from the arguments both
     * pod applications start with: the Redis URI, the OAuth server's URL, the client id and the client secret.
     */
    static Map<String, String> manyPortalProperties(String[] args) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("camel.beans.portals", "#class:" + RedisBitrix24PortalRegistry.class.getName());
        properties.put("camel.beans.portals.redisUri", args[0]);
        properties.put("camel.component.bitrix24-crm.portalRegistry", "#portals");
        properties.put("camel.component.bitrix24-crm.oauthServerUrl", args[1]);
        properties.put("camel.component.bitrix24-crm.clientId", args[2]);
        properties.put("camel.component.bitrix24-crm.clientSecret", args[3]);
        properties.put("camel.component.bitrix24-crm.allowInsecureHttp", "true");
        return properties;
    }

    public static void main(String[] args) throws Exception {
        String memberId = args[4];
        int first = Integer.parseInt(args[5]);
        int count = Integer.parseInt(args[6]);
        Path go = Path.of(args[7]);
        Map<String, String> properties = manyPortalProperties(args);
        DeletingMainApp app = DeletingMainApp.start(properties);
        ProducerTemplate template = app.context().createProducerTemplate();
        // the portal's way made now, its tokens read now: both pods hold the same pair when it expires
        Exchange warm = template.request("direct:delete", e -> {
            e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, memberId);
            e.getMessage().setBody(first);
        });
        System.out.println("warm-up: " + (warm.getException() == null ? "ok" : warm.getException()));
        System.out.println("ready");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(go) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        List<CompletableFuture<Exchange>> calls = new ArrayList<>();
        for (int id = first + 1; id < first + count; id++) {
            int lead = id;
            calls.add(template.asyncSend("direct:delete", e -> {
                e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, memberId);
                e.getMessage().setBody(lead);
            }));
        }
        int ok = warm.getException() == null ? 1 : 0;
        int failed = 1 - ok;
        for (CompletableFuture<Exchange> call : calls) {
            Exception failure = call.get(60, TimeUnit.SECONDS).getException();
            if (failure == null) {
                ok++;
            } else if (failed++ < 5) {
                System.out.println("failed: " + failure);
            }
        }
        System.out.println("result ok=" + ok + " failed=" + failed);
        app.close();
        System.exit(0);
    }
}
