package io.camelbitrix24.crm;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.camelbitrix24.emulator.Bitrix24Cloud;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import io.camelbitrix24.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 5,000 portals, each called once, from one route in a JVM of its own ({@link ThousandsOfPortalsApp}, 256 MB heap):
 * every delete lands on its own portal, connections stay within {@code maxTotalConnections}, and once the portals are
 * idle the component keeps nothing of them but the registry's installations. The portals are virtual hosts of one
 * emulator server, each a host name of its own resolved to loopback (as Bitrix24's cloud serves portals from shared
 * front ends), so the component sees 5,000 hosts.
 */
class Bitrix24ThousandsOfPortalsTest {

    private static final int PORTALS = 5_000;
    private static final int MAX_TOTAL = 32;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void fiveThousandPortalsCalledOnceEachStayWithinTheMemoryAndConnectionBounds(@TempDir Path dir) throws Exception {
        try (Bitrix24Cloud cloud = Bitrix24Cloud.builder().portals(PORTALS).hostNames("cloud.test").start();
             ConnectionCountingRelay relay = new ConnectionCountingRelay()) {
            // the app reaches the cloud's shared front end through a relay that counts the connections open at once
            // as they open and close; each portal keeps its host name (the front end tells them apart by Host)
            InetSocketAddress front = new InetSocketAddress("127.0.0.1",
                    URI.create(cloud.portal(0).restUrl()).getPort());
            InetSocketAddress relayed = relay.relayTo(front);
            StringBuilder installations = new StringBuilder();
            for (int i = 0; i < PORTALS; i++) {
                Bitrix24Emulator portal = cloud.portal(i);
                portal.data().addLead("Lead", "NEW");
                Bitrix24Cloud.Installation installed = Bitrix24Cloud.installation(cloud.installEvent(i));
                installations.append(installed.memberId()).append(' ')
                        .append(relay.relayPortOnly(portal.restUrl(), relayed)).append(' ')
                        .append(installed.accessToken()).append(' ').append(installed.refreshToken()).append(' ')
                        .append(installed.applicationToken()).append('\n');
            }
            Path file = dir.resolve("installations");
            Files.writeString(file, installations);
            Path hosts = dir.resolve("hosts");
            cloud.writeHostsFile(hosts);
            String output;
            try (ChildJvm app = ChildJvm.running(ThousandsOfPortalsApp.class.getName())
                    .jvmArgs("-Xmx256m", "-XX:+UseSerialGC", "-Djdk.net.hosts.file=" + hosts,
                            // the JVM's own cache of resolved names is not the component's: kept 1 s, not 30
                            "-Dsun.net.inetaddr.ttl=1")
                    .args(file.toString(), cloud.oauthServerUrl(), cloud.clientId(), cloud.clientSecret(),
                            String.valueOf(MAX_TOTAL), "20000")
                    .start(dir.resolve("app.log"))) {
                assertTrue(app.awaitEnd(Duration.ofMinutes(3)), "the app ended: " + app.output());
                output = app.output();
            }
            Matcher run = Pattern.compile("run seconds=([\\d.]+) ok=(\\d+) failed=(\\d+) keptActive=(\\d+)")
                    .matcher(output);
            Matcher released = Pattern.compile("released kept=(\\d+) held=(\\d+) open=(\\d+)").matcher(output);
            Matcher heap = Pattern.compile("heap empty=(\\d+) installed=(\\d+) active=(\\d+) released=(\\d+)")
                    .matcher(output);
            assertTrue(run.find() && released.find() && heap.find(), "the app's figures: " + output);
            long empty = Long.parseLong(heap.group(1));
            long installed = Long.parseLong(heap.group(2));
            long active = Long.parseLong(heap.group(3));
            long after = Long.parseLong(heap.group(4));
            int mostOpen = relay.peak();
            double perInstalled = (installed - empty) / (double) PORTALS;
            double perActive = (active - installed) / (double) PORTALS;
            double perReleased = (after - installed) / (double) PORTALS;
            System.out.printf("5,000 portals: %s s for one delete each, %s ok, %s failed; at most %s connections open"
                              + " (cap %d); %s portals kept at the end of the run%n", run.group(1), run.group(2),
                    run.group(3), mostOpen, MAX_TOTAL, run.group(4));
            System.out.printf("5,000 portals: heap per portal: installed (registry, in memory) %.0f B; in use (way,"
                              + " session, bucket, coalescer) %.0f B more; released %.0f B more than installed%n",
                    perInstalled, perActive, perReleased);

            assertEquals(String.valueOf(PORTALS), run.group(2), "every delete went through: " + output);
            int leftOnPortals = 0;
            for (Bitrix24Emulator portal : cloud.portals()) {
                leftOnPortals += portal.data().leadCount();
            }
            assertEquals(0, leftOnPortals, "each portal lost its lead");
            // a portal is a route of its own: a connection each, all of them through the relay
            assertTrue(relay.accepted(front) >= PORTALS, "connections through the relay: " + relay.accepted(front));
            assertTrue(mostOpen <= MAX_TOTAL, "connections open at once: " + mostOpen);
            assertEquals("0", released.group(1), "no portal's way kept once idle");
            assertEquals("0", released.group(2), "no session or bucket kept once idle");
            assertEquals("0", released.group(3), "no connection kept once idle");
            // what the component adds per portal in use is bounded, and released portals leave nothing measurable
            assertTrue(perActive < 64 * 1024, "per portal in use: " + perActive + " B");
            assertTrue(perReleased < 256, "per released portal: " + perReleased + " B");
        }
    }
}
