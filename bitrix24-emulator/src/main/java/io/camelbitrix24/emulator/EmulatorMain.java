package io.camelbitrix24.emulator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** Runs the emulator standalone: {@code java -jar bitrix24-emulator-standalone.jar --port 8024 --leads 100}. */
public final class EmulatorMain {

    static final int DEFAULT_PORT = 8024;
    static final String DEFAULT_WEBHOOK_CODE = "local-emulator";

    private EmulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException, IOException {
        // this program owns its JVM: answers go out at once, not after the client's delayed ACK
        if (System.getProperty(Bitrix24Emulator.NODELAY_PROPERTY) == null) {
            System.setProperty(Bitrix24Emulator.NODELAY_PROPERTY, "true");
        }
        // a fixed, documented code for the standalone portal; --webhook sets another one
        Bitrix24Emulator.Builder builder = Bitrix24Emulator.builder().port(DEFAULT_PORT).webhook(1, DEFAULT_WEBHOOK_CODE);
        double faultRate = 0;
        boolean printArrivals = false;
        int cloudPortals = 0;
        String[] cloudClient = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> {
                    usage(System.out);
                    return;
                }
                case "--port" -> builder.port(Integer.parseInt(args[++i]));
                case "--https" -> builder.https(true);
                case "--https-required" -> builder.httpsRequired(true);
                case "--webhook" -> {
                    String[] parts = args[++i].split("/", 2);
                    builder.webhook(Integer.parseInt(parts[0]), parts[1]);
                }
                case "--client" -> {
                    String[] parts = args[++i].split(":", 2);
                    builder.oauthApplication(parts[0], parts[1]);
                    cloudClient = parts;
                }
                case "--portals" -> cloudPortals = Integer.parseInt(args[++i]);
                case "--rate-limit" -> {
                    String[] parts = args[++i].split("/", 2);
                    builder.rateLimit(Integer.parseInt(parts[0]), Double.parseDouble(parts[1]));
                }
                case "--leads" -> builder.seedLeads(Integer.parseInt(args[++i]));
                case "--contacts" -> builder.seedContacts(Integer.parseInt(args[++i]));
                case "--faults" -> faultRate = Double.parseDouble(args[++i]);
                case "--lang" -> builder.language(args[++i]);
                case "--legacy-delete" -> builder.legacyDelete(true);
                case "--self-hosted" -> builder.selfHosted(true);
                case "--print-arrivals" -> printArrivals = true;
                case "--export-truststore" -> {
                    Path file = Path.of(args[++i]);
                    Bitrix24Emulator.exportTrustStore(file);
                    System.out.println("Trust store with the emulator's certificate written to " + file.toAbsolutePath()
                                       + " (PKCS12, password " + Bitrix24Emulator.STORE_PASSWORD + ")");
                }
                default -> {
                    System.err.println("unknown option " + arg);
                    usage(System.err);
                    System.exit(2);
                }
            }
        }
        if (cloudPortals > 0) {
            startCloud(cloudPortals, cloudClient);
            return;
        }
        Bitrix24Emulator emulator = builder.start();
        if (faultRate > 0) {
            emulator.faults().setRates(faultRate, Fault.values());
        }
        if (printArrivals) {
            emulator.requests().printArrivals(System.out);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(emulator::close));
        System.out.println("Bitrix24 emulator listening on " + emulator.baseUrl());
        // the webhook code is a secret even here: say where it comes from, never print it
        System.out.println("Webhook URL: " + emulator.baseUrl() + "/rest/<userId>/<code>/ with the user id and code given"
                           + " by --webhook (see --help for the default)");
        System.out.println("OAuth server: " + emulator.oauthServerUrl() + " (for oauthServerUrl)");
        System.out.println("Language: " + emulator.language().code());
        System.out.println("Leads: " + emulator.data().leadCount() + ", contacts: " + emulator.data().contactCount());
        new CountDownLatch(1).await();
    }

    /** {@code --portals N}: a cloud of N portals, each on its own loopback address, and their OAuth server. */
    private static void startCloud(int portals, String[] client) throws InterruptedException {
        Bitrix24Cloud.Builder builder = Bitrix24Cloud.builder().portals(portals);
        if (client != null) {
            builder.application(client[0], client[1]);
        }
        Bitrix24Cloud cloud = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(cloud::close));
        System.out.println("Bitrix24 cloud of " + portals + " portals; OAuth server (and app.info): "
                           + cloud.oauthServerUrl() + ", application " + cloud.clientId()
                           + (client == null ? " (its secret is random: set one with --client ID:SECRET)" : ""));
        for (Bitrix24Emulator portal : cloud.portals()) {
            System.out.println("portal " + portal.restUrl() + " member_id " + portal.memberId());
        }
        new CountDownLatch(1).await();
    }

    /** The options, with the defaults this launcher really uses. */
    static void usage(PrintStream out) {
        out.println("Usage: java -jar bitrix24-emulator-standalone.jar [options]");
        out.println("  --port N                 port to listen on (default " + DEFAULT_PORT + ", 0 = any free port)");
        out.println("  --https                  serve HTTPS with the bundled self-signed certificate (localhost,"
                    + " 127.0.0.1)");
        out.println("  --export-truststore FILE write a PKCS12 trust store holding that certificate (password "
                    + Bitrix24Emulator.STORE_PASSWORD + ") to FILE");
        out.println("  --https-required         answer INVALID_REQUEST to plain HTTP webhook calls, as a cloud portal");
        out.println("  --webhook USER/CODE      the inbound webhook's user id and code (default 1/" + DEFAULT_WEBHOOK_CODE
                    + ")");
        out.println("  --client ID:SECRET       the OAuth application's credentials (default local.emulator.app and a"
                    + " random secret)");
        out.println("  --rate-limit B/R         a leaky bucket of B requests draining R a second (cloud: 50/2; default"
                    + " none)");
        out.println("  --leads N                seed N leads (default 0)");
        out.println("  --contacts N             seed N contacts (default 0)");
        out.println("  --faults RATE            inject every fault kind into RATE (0..1) of the requests (default 0)");
        out.println("  --lang CODE              the portal's language: " + String.join(", ", PortalLanguage.codes())
                    + " (default en)");
        out.println("  --legacy-delete          lead and contact deletes of a portal with the CRM factory mode off");
        out.println("  --self-hosted            a self-hosted portal: no operating-time limit or fields");
        out.println("  --portals N              a cloud: N portals, each on its own loopback address (127.0.1.1, ...),"
                    + " sharing one OAuth server; with --client for the application");
        out.println("  --print-arrivals         print \"arrival <method> <epoch microseconds>\" as each request arrives");
        out.println("  --help                   this text");
    }
}
