package io.camelbitrix24.emulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import static io.camelbitrix24.emulator.EmulatorHttp.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The standalone emulator's cloud mode as a user runs it: EmulatorMain in a JVM of its own, read from its output,
 * driven over its stdin and control endpoint, posting to an application's handler in this test.
 */
class CloudMainTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern PORTAL_LINE = Pattern.compile("portal (\\d+): rest (\\S+) member_id ([0-9a-f]{32})"
                                                               + " webhook (\\S+) language (\\S+) leads (\\d+) contacts (\\d+)");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aCloudOnOnePortPrintsEachPortalAndInstallsOnAHandlerThatComesUpLater() throws Exception {
        int port = LoopbackPorts.freeOn("127.0.1.1", "127.0.1.2");
        EventHandler handler = new EventHandler(LoopbackPorts.freeOn());
        try (Emulator emulator = Emulator.start("--portals", "2", "--port", String.valueOf(port), "--leads", "3",
                "--install-handler", handler.url("/install"), "--uninstall-handler", handler.url("/uninstall"),
                "--install-wait", "20")) {
            emulator.await("Installing the application on 2 portals");
            // the application starts after the emulator: its first tries are refused, then retried
            Thread.sleep(1000);
            handler.start();
            emulator.await("install portal 2 \\(member_id [0-9a-f]{32}\\): handler answered HTTP 200");

            assertTrue(emulator.output().contains("OAuth server and app.info: http://127.0.0.1:" + port + " "),
                    emulator.output());
            assertTrue(Pattern.compile("Application: client id local\\.cloud\\.app, client secret [0-9a-f]{32} \\(random,"
                                       + " a local test secret").matcher(emulator.output()).find(), emulator.output());
            List<Matcher> portals = emulator.portals();
            assertEquals(2, portals.size(), emulator.output());
            for (int n = 1; n <= 2; n++) {
                Matcher portal = portals.get(n - 1);
                String rest = "http://127.0.1." + n + ":" + port + "/rest/";
                assertEquals(rest, portal.group(2));
                assertEquals(rest + "1/local-emulator/", portal.group(4));
                assertEquals("3", portal.group(6));
                assertEquals("0", portal.group(7));
                JsonNode leads = call(portal.group(4) + "crm.lead.list", 200);
                assertEquals(3, leads.path("result").size(), "the printed webhook works, 3 leads seeded");
                emulator.await("install portal " + n + " \\(member_id " + portal.group(3)
                               + "\\): handler answered HTTP 200");
            }
            assertTrue(call(portals.get(1).group(4) + "crm.lead.delete?id=1", 200).path("result").asBoolean());
            assertEquals(2, call(portals.get(1).group(4) + "crm.lead.list", 200).path("result").size());
            assertEquals(3, call(portals.get(0).group(4) + "crm.lead.list", 200).path("result").size(),
                    "each portal its own leads");

            List<Map<String, String>> installs = handler.received("/install");
            assertEquals(2, installs.size(), "one ONAPPINSTALL a portal");
            for (int n = 1; n <= 2; n++) {
                Map<String, String> install = installs.get(n - 1);
                assertEquals("ONAPPINSTALL", install.get("event"));
                assertEquals(portals.get(n - 1).group(3), install.get("auth[member_id]"));
                assertEquals(portals.get(n - 1).group(2), install.get("auth[client_endpoint]"));
                assertEquals("http://127.0.0.1:" + port + "/rest/", install.get("auth[server_endpoint]"));
                assertEquals(200, status(install.get("auth[client_endpoint]") + "crm.lead.list?auth="
                                         + install.get("auth[access_token]")), "the installation's token works");
            }
        } finally {
            handler.stop();
        }
    }

    @Test
    void uninstallOnStdinAndReinstallOverTheControlEndpointPostTheEventsAndOnlyTheNewTokenWorks() throws Exception {
        int port = LoopbackPorts.freeOn("127.0.1.1", "127.0.1.2");
        EventHandler handler = new EventHandler(LoopbackPorts.freeOn());
        handler.start();
        try (Emulator emulator = Emulator.start("--portals", "2", "--port", String.valueOf(port), "--leads", "3",
                "--install-handler", handler.url("/install"), "--uninstall-handler", handler.url("/uninstall"))) {
            emulator.await("Ready\\.");
            String memberId = emulator.portals().get(0).group(3);
            String restUrl = emulator.portals().get(0).group(2);
            String firstToken = handler.received("/install").get(0).get("auth[access_token]");
            assertEquals(200, status(restUrl + "crm.lead.list?auth=" + firstToken));

            emulator.send("uninstall 1");
            emulator.await("uninstall portal 1 \\(member_id " + memberId + "\\): handler answered HTTP 200");
            Map<String, String> uninstall = handler.received("/uninstall").get(0);
            assertEquals("ONAPPUNINSTALL", uninstall.get("event"));
            assertEquals(memberId, uninstall.get("auth[member_id]"));
            assertEquals(401, status(restUrl + "crm.lead.list?auth=" + firstToken), "revoked on uninstall");
            emulator.send("uninstall 1");
            emulator.await("portal 1 is not installed");

            String control = "http://127.0.0.1:" + port + "/emulator/portals/";
            HttpResponse<String> reinstalled = post(control + "1/install");
            assertEquals(200, reinstalled.statusCode(), reinstalled.body());
            JsonNode answer = JSON.readTree(reinstalled.body());
            assertEquals(1, answer.path("portal").asInt());
            assertEquals(memberId, answer.path("member_id").asText());
            assertEquals(200, answer.path("handlerStatus").asInt());
            List<Map<String, String>> installs = handler.received("/install");
            assertEquals(3, installs.size(), "two at start, one reinstall");
            Map<String, String> reinstall = installs.get(2);
            assertEquals(memberId, reinstall.get("auth[member_id]"));
            assertNotEquals(firstToken, reinstall.get("auth[access_token]"));
            assertEquals(200, status(restUrl + "crm.lead.list?auth=" + reinstall.get("auth[access_token]")),
                    "the reinstall's token works");
            assertEquals(401, status(restUrl + "crm.lead.list?auth=" + firstToken));

            assertEquals(404, post(control + "3/install").statusCode());
            assertEquals(400, post(control + "one/uninstall").statusCode());
            emulator.send("status");
            emulator.await("portal 1 member_id " + memberId + " installed, leads 3, contacts 0, last event: install"
                           + " -> HTTP 200");

            emulator.closeStdin();
            Thread.sleep(500);
            assertTrue(emulator.process.isAlive(), "the end of stdin leaves the emulator running");
            HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(control)).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, status.statusCode());
            assertEquals(2, JSON.readTree(status.body()).path("portals").size());
        } finally {
            handler.stop();
        }
    }

    @Test
    void withoutHandlersTheCommandsSayWhatTheyNeed() throws Exception {
        try (Emulator emulator = Emulator.start("--portals", "1", "--port", "0", "--contacts", "2", "--lang", "ru",
                "--client", "my.app:my-secret")) {
            emulator.await("Ready\\.");
            Matcher portal = emulator.portals().get(0);
            assertEquals("ru", portal.group(5));
            assertEquals("2", portal.group(7));
            assertTrue(emulator.output().contains("Application: client id my.app, client secret my-secret"),
                    emulator.output());
            Matcher oauth = Pattern.compile("OAuth server and app.info: (http://127\\.0\\.0\\.1:\\d+) ")
                    .matcher(emulator.output());
            assertTrue(oauth.find(), emulator.output());
            emulator.send("uninstall 1");
            emulator.await("uninstall needs --uninstall-handler URL");
            HttpResponse<String> install = post(oauth.group(1) + "/emulator/portals/1/install");
            assertEquals(409, install.statusCode());
            assertTrue(install.body().contains("install needs --install-handler URL"), install.body());
        }
    }

    @Test
    void optionsAModeCannotHonourAreRefusedWithExitCode2() throws Exception {
        assertRefused("--https cannot be used with --portals", "--portals", "2", "--https");
        assertRefused("--print-arrivals cannot be used with --portals", "--portals", "2", "--print-arrivals");
        assertRefused("--install-handler needs --portals N", "--install-handler", "http://127.0.0.1:1/install");
        assertRefused("--lang: unknown language 'xx'", "--portals", "2", "--lang", "ru,xx");
    }

    @Test
    void theParserTakesWhatACloudHonoursAndRefusesTheRest() throws Exception {
        EmulatorOptions cloud = EmulatorOptions.parse("--portals", "2", "--legacy-delete", "--self-hosted", "--faults",
                "0.1", "--lang", "ru,de", "--rate-limit", "50/2", "--webhook", "7/code");
        assertEquals(List.of("ru", "de"), cloud.languages);
        assertEquals(7, cloud.webhookUser);
        assertEquals(EmulatorOptions.DEFAULT_PORT, cloud.port);
        for (List<String> refused : List.of(List.of("--portals", "2", "--https-required"),
                List.of("--portals", "2", "--export-truststore", "x.p12"),
                List.of("--uninstall-handler", "http://127.0.0.1:1/"), List.of("--install-wait", "5"),
                List.of("--lang", "ru,de"), List.of("--portals", "0"), List.of("--port", "x"),
                List.of("--portals", "2", "--install-handler", "ftp://x/"), List.of("--leads"),
                List.of("--leads", "1", "--leads", "2"), List.of("--nonsense"))) {
            try {
                EmulatorOptions.parse(refused.toArray(String[]::new));
                fail("accepted " + refused);
            } catch (EmulatorOptions.UsageException expected) {
                assertFalse(expected.getMessage().isBlank());
            }
        }
    }

    private static void assertRefused(String message, String... args) throws Exception {
        Process process = new ProcessBuilder(command(args)).start();
        try {
            assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "refused at once: " + List.of(args));
            assertEquals(2, process.exitValue(), List.of(args).toString());
            String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(stderr.contains(message), stderr);
            assertEquals("", new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
        }
    }

    private JsonNode call(String url, int expectedStatus) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(expectedStatus, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private int status(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpResponse<String> post(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(WAIT)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EmulatorMain.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** EmulatorMain in a JVM of its own: its output read as it comes, its stdin open until closed. */
    private static final class Emulator implements AutoCloseable {
        final Process process;
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final OutputStream stdin;

        private Emulator(Process process) {
            this.process = process;
            this.stdin = process.getOutputStream();
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "cloud-main-test-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Emulator start(String... args) throws IOException {
            return new Emulator(new ProcessBuilder(command(args)).redirectErrorStream(true).start());
        }

        /** Waits, bounded, for a line matching {@code regex}; fails with the output so far. */
        void await(String regex) throws InterruptedException {
            Pattern pattern = Pattern.compile(regex);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                if (lines.stream().anyMatch(line -> pattern.matcher(line).find())) {
                    return;
                }
                if (!process.isAlive() && !lines.isEmpty()) {
                    Thread.sleep(100);
                    if (lines.stream().noneMatch(line -> pattern.matcher(line).find())) {
                        fail("the emulator ended (" + process.exitValue() + ") without /" + regex + "/:\n" + output());
                    }
                }
                Thread.sleep(50);
            }
            fail("no line /" + regex + "/ within " + WAIT.toSeconds() + " s:\n" + output());
        }

        String output() {
            return String.join("\n", lines);
        }

        List<Matcher> portals() {
            List<Matcher> portals = new ArrayList<>();
            for (String line : lines) {
                Matcher matcher = PORTAL_LINE.matcher(line);
                if (matcher.matches()) {
                    portals.add(matcher);
                }
            }
            return portals;
        }

        void send(String line) throws IOException {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }

        void closeStdin() throws IOException {
            stdin.close();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The application's event handler: records each form posted to it by path, answers 200. */
    private static final class EventHandler {
        private final int port;
        private final Map<String, List<Map<String, String>>> received = new java.util.concurrent.ConcurrentHashMap<>();
        private HttpServer server;

        EventHandler(int port) {
            this.port = port;
        }

        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        void start() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 8);
            server.createContext("/", exchange -> {
                try (exchange) {
                    Map<String, String> fields = EmulatorHttp.formFields(exchange);
                    received.computeIfAbsent(exchange.getRequestURI().getPath(), k -> new CopyOnWriteArrayList<>())
                            .add(fields);
                    exchange.sendResponseHeaders(200, -1);
                }
            });
            server.start();
        }

        List<Map<String, String>> received(String path) {
            return received.getOrDefault(path, List.of());
        }

        void stop() {
            if (server != null) {
                server.stop(0);
            }
        }
    }
}
