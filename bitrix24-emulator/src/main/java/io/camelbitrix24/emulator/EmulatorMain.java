package io.camelbitrix24.emulator;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator standalone: {@code java -jar bitrix24-emulator-standalone.jar --port 8024 --leads 100}, one portal,
 * or {@code --portals N}, a cloud ({@link CloudMain}).
 */
public final class EmulatorMain {

    static final int DEFAULT_PORT = EmulatorOptions.DEFAULT_PORT;
    static final String DEFAULT_WEBHOOK_CODE = EmulatorOptions.DEFAULT_WEBHOOK_CODE;

    private EmulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException, IOException {
        EmulatorOptions options;
        try {
            options = EmulatorOptions.parse(args);
        } catch (EmulatorOptions.UsageException e) {
            System.err.println("bitrix24-emulator: " + e.getMessage() + " (see --help)");
            System.exit(2);
            return;
        }
        if (options.help) {
            usage(System.out);
            return;
        }
        // this program owns its JVM: answers go out at once, not after the client's delayed ACK
        if (System.getProperty(Bitrix24Emulator.NODELAY_PROPERTY) == null) {
            System.setProperty(Bitrix24Emulator.NODELAY_PROPERTY, "true");
        }
        try {
            if (options.portals > 0) {
                Bitrix24Cloud cloud = CloudMain.start(options, System.out);
                Runtime.getRuntime().addShutdownHook(new Thread(cloud::close));
            } else {
                startPortal(options);
            }
        } catch (UncheckedIOException e) {
            // mostly a port taken: say which, without a stack trace
            System.err.println("bitrix24-emulator: " + e.getMessage() + ": " + e.getCause()
                               + " (another port with --port, or --port 0 for free ones)");
            System.exit(1);
        }
        // runs until stopped: neither mode ends with its stdin
        new CountDownLatch(1).await();
    }

    private static void startPortal(EmulatorOptions options) throws IOException {
        if (options.exportTrustStore != null) {
            Bitrix24Emulator.exportTrustStore(options.exportTrustStore);
            System.out.println("Trust store with the emulator's certificate written to "
                               + options.exportTrustStore.toAbsolutePath() + " (PKCS12, password "
                               + Bitrix24Emulator.STORE_PASSWORD + ")");
        }
        Bitrix24Emulator.Builder builder = Bitrix24Emulator.builder().port(options.port)
                .webhook(options.webhookUser, options.webhookCode).https(options.https)
                .httpsRequired(options.httpsRequired).seedLeads(options.leads).seedContacts(options.contacts)
                .seedDeals(options.deals).seedCompanies(options.companies)
                .language(options.languages.get(0)).legacyDelete(options.legacyDelete).selfHosted(options.selfHosted);
        if (options.clientId != null) {
            builder.oauthApplication(options.clientId, options.clientSecret);
        }
        if (options.rateBurst > 0) {
            builder.rateLimit(options.rateBurst, options.ratePerSecond);
        }
        Bitrix24Emulator emulator = builder.start();
        if (options.faultRate > 0) {
            emulator.faults().setRates(options.faultRate, Fault.values());
        }
        if (options.printArrivals) {
            emulator.requests().printArrivals(System.out);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(emulator::close));
        System.out.println("Bitrix24 emulator listening on " + emulator.baseUrl());
        // the webhook code is a secret even here: say where it comes from, never print it
        System.out.println("Webhook URL: " + emulator.baseUrl() + "/rest/<userId>/<code>/ with the user id and code given"
                           + " by --webhook (see --help for the default)");
        System.out.println("OAuth server: " + emulator.oauthServerUrl() + " (for oauthServerUrl)");
        System.out.println("Language: " + emulator.language().code());
        System.out.println("Leads: " + emulator.data().leadCount() + ", contacts: " + emulator.data().contactCount()
                           + ", deals: " + emulator.data().count(EntityTypes.DEAL) + ", companies: "
                           + emulator.data().count(EntityTypes.COMPANY));
    }

    /** The options, with the defaults this launcher really uses and the modes each applies to. */
    static void usage(PrintStream out) {
        out.println("Usage: java -jar bitrix24-emulator-standalone.jar [options]");
        wrap(out, "", "One portal by default; --portals N runs a cloud of N portals. [both]: either mode, [one]: one"
                      + " portal only, [cloud]: with --portals only. An option the mode cannot honour is refused (exit"
                      + " code 2).");
        option(out, "--port N", "[both] port to listen on (default " + DEFAULT_PORT + ", 0 = a free port). A cloud puts"
                                + " every portal on its own loopback address with this port (127.0.1.1:N, 127.0.1.2:N,"
                                + " ...) and its OAuth server on 127.0.0.1:N; with 0 each picks a free port");
        option(out, "--webhook USER/CODE", "[both] the inbound webhook's user id and code (default "
                                           + EmulatorOptions.DEFAULT_WEBHOOK_USER + "/" + DEFAULT_WEBHOOK_CODE
                                           + "), the same on every cloud portal");
        option(out, "--client ID:SECRET", "[both] the OAuth application's credentials (default client id "
                                          + Bitrix24Emulator.DEFAULT_CLIENT_ID + " for one portal, "
                                          + Bitrix24Cloud.DEFAULT_CLIENT_ID + " for a cloud; default secret random,"
                                          + " printed by a cloud only)");
        option(out, "--rate-limit B/R", "[both] a leaky bucket of B requests draining R a second, each cloud portal its"
                                        + " own (Bitrix24 cloud: 50/2; default none)");
        option(out, "--leads N", "[both] seed N leads, in each cloud portal (default 0)");
        option(out, "--contacts N", "[both] seed N contacts, in each cloud portal (default 0)");
        option(out, "--deals N", "[both] seed N deals, in each cloud portal (default 0)");
        option(out, "--companies N", "[both] seed N companies, in each cloud portal (default 0)");
        option(out, "--faults RATE", "[both] inject every fault kind into RATE (0..1) of the requests, each cloud"
                                     + " portal's (default 0)");
        option(out, "--lang CODE[,CODE]", "[both] the portal's language: " + String.join(", ", PortalLanguage.codes())
                                          + " (default en); a list for a cloud's portals, in turn");
        option(out, "--legacy-delete", "[both] lead and contact deletes of a portal with the CRM factory mode off");
        option(out, "--self-hosted", "[both] a self-hosted portal: no operating-time limit or fields");
        option(out, "--https", "[one] serve HTTPS with the bundled self-signed certificate (localhost, 127.0.0.1)");
        option(out, "--https-required", "[one] answer INVALID_REQUEST to plain HTTP webhook calls, as a cloud portal");
        option(out, "--export-truststore FILE", "[one] write a PKCS12 trust store holding that certificate (password "
                                                + Bitrix24Emulator.STORE_PASSWORD + ") to FILE");
        option(out, "--print-arrivals", "[one] print \"arrival <method> <epoch microseconds>\" as each request arrives");
        option(out, "--portals N", "[cloud] N portals sharing one OAuth server, plain HTTP; prints each portal's REST"
                                   + " address, member_id, webhook URL and counts, and the application's client id and"
                                   + " secret");
        option(out, "--install-handler URL", "[cloud] post ONAPPINSTALL for every portal to URL once the cloud is up"
                                             + " (default none)");
        option(out, "--install-wait SECONDS", "[cloud] how long a handler not listening yet is tried again, every"
                                              + " 500 ms (default " + EmulatorOptions.DEFAULT_INSTALL_WAIT_SECONDS
                                              + ")");
        option(out, "--uninstall-handler URL", "[cloud] where uninstall commands post ONAPPUNINSTALL (default none;"
                                               + " uninstall needs it)");
        option(out, "--help", "this text");
        wrap(out, "", "A cloud reads commands on stdin, one a line, and keeps running at its end: "
                      + CloudConsole.COMMANDS + ". It answers POST http://127.0.0.1:PORT" + CloudConsole.CONTROL_PATH
                      + "/{n}/install or /uninstall with {\"portal\":n,\"member_id\":\"...\",\"handlerStatus\":200}"
                      + " (400 or 404 for a bad n, 409 without the handler or uninstalling a portal not installed,"
                      + " 502 when the handler never answered), and GET " + CloudConsole.CONTROL_PATH
                      + " with each portal's status.");
    }

    private static void option(PrintStream out, String option, String text) {
        wrap(out, "  " + option + " ".repeat(Math.max(1, 25 - option.length())), text);
    }

    /** {@code text} after {@code first}, in lines of at most 118 characters, the next ones indented as far. */
    private static void wrap(PrintStream out, String first, String text) {
        StringBuilder line = new StringBuilder(first);
        String indent = " ".repeat(first.length());
        for (String word : text.split(" ")) {
            if (line.length() > indent.length() && line.length() + 1 + word.length() > 118) {
                out.println(line.toString().stripTrailing());
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length() && !line.toString().endsWith(" ")) {
                line.append(' ');
            }
            line.append(word);
        }
        out.println(line.toString().stripTrailing());
    }
}
