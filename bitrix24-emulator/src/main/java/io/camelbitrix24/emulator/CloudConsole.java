package io.camelbitrix24.emulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

/**
 * The standalone cloud's two control surfaces over {@link CloudControl}: commands read from stdin, one a line, and
 * {@code POST /emulator/portals/{n}/install} or {@code /uninstall} on the OAuth server's address, answering JSON.
 */
final class CloudConsole {

    static final String CONTROL_PATH = "/emulator/portals";
    static final String COMMANDS = "install N, uninstall N, status, help (N: a portal's number as printed)";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CloudControl control;
    private final PrintStream out;

    CloudConsole(CloudControl control, PrintStream out) {
        this.control = control;
        this.out = out;
    }

    /**
     * Reads commands from {@code in} on a daemon thread until its end; the emulator keeps running after it, as it
     * may run with no stdin at all (in the background, in CI).
     */
    void readCommands(InputStream in) {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (!line.isBlank()) {
                        out.println(run(line.trim()));
                    }
                }
            } catch (IOException e) {
                out.println("stdin: " + e.getMessage() + "; commands still come over HTTP");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bitrix24-cloud-console");
        reader.setDaemon(true);
        reader.start();
    }

    /** One stdin command: what it printed. */
    String run(String line) throws InterruptedException {
        String[] words = line.split("\\s+");
        try {
            switch (words[0]) {
                case "help" -> {
                    return "commands: " + COMMANDS + "; over HTTP: POST " + CONTROL_PATH + "/{n}/install or /uninstall";
                }
                case "status" -> {
                    return String.join("\n", control.status().stream().map(CloudControl.PortalStatus::describe)
                            .toList());
                }
                case "install", "uninstall" -> {
                    if (words.length != 2) {
                        return words[0] + " needs a portal number: " + words[0] + " N";
                    }
                    int number = portalNumber(words[1]);
                    CloudControl.Result result = words[0].equals("install") ? control.install(number, Duration.ZERO)
                            : control.uninstall(number);
                    return result.describe();
                }
                default -> {
                    return "unknown command '" + line + "'; commands: " + COMMANDS;
                }
            }
        } catch (CloudControl.Refused e) {
            return e.getMessage();
        }
    }

    /**
     * {@code POST /emulator/portals/{n}/install} or {@code /uninstall}: {@code {"portal":n,"member_id":"...",
     * "handlerStatus":200}}; 502 with {@code handlerStatus} null and an {@code error} when the handler never answered,
     * 400 for a number that is none, 404 for no such portal or action, 405 for another method, 409 when no handler is
     * configured or an uninstalled portal is uninstalled. {@code GET /emulator/portals}: {@code {"portals":[{"portal":1,
     * "memberId":"...","installed":true,"leads":3,"contacts":0,"lastEvent":"install -> HTTP 200"}, ...]}}.
     */
    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            AnswerWriter.readBody(exchange.getRequestBody());
            List<String> path = List.of(exchange.getRequestURI().getPath().substring(CONTROL_PATH.length())
                    .replaceAll("^/+|/+$", "").split("/"));
            if (path.equals(List.of(""))) {
                send(exchange, 200, Map.of("portals", control.status()));
                return;
            }
            if (path.size() != 2 || !List.of("install", "uninstall").contains(path.get(1))) {
                send(exchange, 404, Map.of("error", "expected POST " + CONTROL_PATH + "/{n}/install or /uninstall"));
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                send(exchange, 405, Map.of("error", "POST only"));
                return;
            }
            try {
                int number = portalNumber(path.get(0));
                CloudControl.Result result = path.get(1).equals("install") ? control.install(number, Duration.ZERO)
                        : control.uninstall(number);
                out.println(result.describe() + " (over HTTP)");
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("portal", result.portal());
                body.put("member_id", result.memberId());
                body.put("handlerStatus", result.handlerStatus());
                if (result.error() != null) {
                    body.put("error", result.error());
                }
                send(exchange, result.handlerStatus() != null ? 200 : 502, body);
            } catch (CloudControl.Refused e) {
                send(exchange, e.status, Map.of("error", e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                send(exchange, 503, Map.of("error", "the emulator is stopping"));
            }
        }
    }

    private static int portalNumber(String word) throws CloudControl.Refused {
        try {
            return Integer.parseInt(word);
        } catch (NumberFormatException e) {
            throw new CloudControl.Refused(400, "'" + word + "' is not a portal number");
        }
    }

    private static void send(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
        // plain JSON: the control endpoint is the emulator's own, not a portal's answer with its PHP escapes
        AnswerWriter.send(exchange, new Answer(status, AnswerWriter.JSON, JSON.writeValueAsBytes(body)));
    }
}
