package io.camelbitrix24.examples.manyportals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelbitrix24.testing.ChildJvm;
import io.camelbitrix24.testing.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The many-portal example as a user runs it, each part a process of its own: the standalone emulator's cloud of three
 * portals (the same lead ids in each) posting ONAPPINSTALL to the example's handler, the example (Camel Main,
 * platform-http, installations in a real redis-server), and HTTP between them. Deletes land on their own portal only;
 * an uninstall stops a portal's deletes with nothing deleted; a restart keeps the installations, with no event resent.
 */
class ManyPortalsExampleTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern PORTAL_LINE = Pattern.compile(
            "portal (\\d+): rest (\\S+) member_id (\\S+) webhook (\\S+)");
    private static final String CLIENT_SECRET = "many-portals-example-secret";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final List<AutoCloseable> running = new ArrayList<>();

    /** A portal as the emulator printed it. */
    private record Portal(String memberId, String webhook) {
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    private static void await(String what, BooleanSupplier condition, Supplier<String> output)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what + "\n" + output.get());
            }
            Thread.sleep(100);
        }
    }

    private ChildJvm startApp(Path log, int appPort, int cloudPort, int redisPort) throws Exception {
        // the application's runtime class path only, as a user runs it: a dependency the tests alone bring is missing
        String classPath = Path.of("target/classes").toAbsolutePath() + java.io.File.pathSeparator
                           + Files.readString(Path.of("target/runtime-classpath.txt")).strip();
        ChildJvm app = ChildJvm.running(ManyPortalsApp.class.getName()).classPath(classPath)
                .environment("BITRIX24_CLIENT_ID", "local.cloud.app")
                .environment("BITRIX24_CLIENT_SECRET", CLIENT_SECRET)
                .environment("BITRIX24_OAUTH_SERVER_URL", "http://127.0.0.1:" + cloudPort)
                .environment("BITRIX24_ALLOW_INSECURE_HTTP", "true")
                .environment("REDIS_URI", "redis://127.0.0.1:" + redisPort)
                .environment("HOST", "127.0.0.1")
                .environment("PORT", String.valueOf(appPort))
                .appendLog().start(log);
        running.add(app);
        return app;
    }

    /** Whether the example has started {@code times} times (one log for its runs); one that ended fails at once. */
    private static boolean started(ChildJvm app, int times) {
        if (!app.isAlive()) {
            throw new AssertionError("the example ended:\n" + app.output());
        }
        return app.output().split("\\(bitrix24-many-portals\\) started", -1).length - 1 >= times;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> deleteLead(int appPort, Portal portal, int lead) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + "/portals/" + portal.memberId()
                                                      + "/leads/" + lead)).DELETE());
    }

    /** Whether the portal still has the lead, read through its webhook. */
    private boolean hasLead(Portal portal, int lead) throws Exception {
        HttpResponse<String> list = send(HttpRequest.newBuilder(URI.create(portal.webhook() + "crm.lead.list.json"
                                                                          + "?filter%5BID%5D=" + lead)).GET());
        assertEquals(200, list.statusCode(), list::body);
        return json.readTree(list.body()).path("result").size() == 1;
    }

    @Test
    void deletesLandOnTheirPortalsAnUninstallStopsOneAndARestartKeepsTheInstallations(@TempDir Path dir)
            throws Exception {
        int redisPort = Ports.unused();
        RedisServer redis = RedisServer.newRedisServer().bind("127.0.0.1").port(redisPort)
                .setting("save \"\"").setting("appendonly no").build();
        redis.start();
        running.add(redis::stop);
        int cloudPort = Ports.unused();
        int appPort = Ports.unused();

        // the example first, as an application is deployed before it is installed anywhere
        Path appLog = dir.resolve("app.log");
        ChildJvm app = startApp(appLog, appPort, cloudPort, redisPort);
        await("the example up", () -> started(app, 1), app::output);
        ChildJvm cloud = ChildJvm.running("io.camelbitrix24.emulator.EmulatorMain")
                .jvmArgs("-Dsun.net.httpserver.nodelay=true")
                .args("--portals", "3", "--port", String.valueOf(cloudPort), "--leads", "5",
                        "--client", "local.cloud.app:" + CLIENT_SECRET,
                        "--install-handler", "http://127.0.0.1:" + appPort + "/bitrix24/install",
                        "--uninstall-handler", "http://127.0.0.1:" + appPort + "/bitrix24/uninstall")
                .start(dir.resolve("cloud.log"));
        running.add(cloud);
        await("three installs answered 200", () -> cloud.output().split("handler answered HTTP 200", -1).length - 1 == 3,
                () -> "cloud:\n" + cloud.output() + "\nexample:\n" + app.output());
        List<Portal> portals = new ArrayList<>();
        Matcher printed = PORTAL_LINE.matcher(cloud.output());
        while (printed.find()) {
            portals.add(new Portal(printed.group(3), printed.group(4)));
        }
        assertEquals(3, portals.size(), cloud::output);

        // lead 2 exists in every portal: only portal 1's goes
        HttpResponse<String> deleted = deleteLead(appPort, portals.get(0), 2);
        assertEquals(200, deleted.statusCode(), deleted::body);
        assertEquals("deleted=true", deleted.body());
        assertFalse(hasLead(portals.get(0), 2));
        assertTrue(hasLead(portals.get(1), 2), "portal 2 keeps its lead 2");
        assertTrue(hasLead(portals.get(2), 2), "portal 3 keeps its lead 2");

        // portal 2 uninstalls the application: Bitrix24 posts ONAPPUNINSTALL, the example answers 200
        HttpResponse<String> uninstalled = send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + cloudPort + "/emulator/portals/2/uninstall"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, uninstalled.statusCode(), uninstalled::body);
        assertEquals(200, json.readTree(uninstalled.body()).path("handlerStatus").asInt(), uninstalled::body);
        HttpResponse<String> refused = deleteLead(appPort, portals.get(1), 3);
        assertNotEquals(200, refused.statusCode(), refused::body);
        assertTrue(hasLead(portals.get(1), 3), "nothing deleted on an uninstalled portal");

        // a restart: the installations are in Redis, and Bitrix24 sends no event again
        app.kill();
        ChildJvm restarted = startApp(appLog, appPort, cloudPort, redisPort);
        await("the example up again", () -> started(restarted, 2), restarted::output);
        HttpResponse<String> afterRestart = deleteLead(appPort, portals.get(2), 4);
        assertEquals(200, afterRestart.statusCode(), afterRestart::body);
        assertFalse(hasLead(portals.get(2), 4));
        assertTrue(hasLead(portals.get(0), 4), "portal 1 keeps its lead 4");
        assertNotEquals(200, deleteLead(appPort, portals.get(1), 3).statusCode(), "still uninstalled after a restart");
        JsonNode status = json.readTree(send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + cloudPort + "/emulator/portals")).GET()).body());
        assertEquals(3, status.path("portals").size(), status::toString);

        String appOutput = Files.readString(appLog);
        assertFalse(appOutput.contains(CLIENT_SECRET), "the client secret in the example's output");
        assertTrue(appOutput.contains("serves many portals as application local.cloud.app"), appOutput);
    }
}
