package io.camelbitrix24.emulator;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The standalone emulator's command line, read but not acted on: which options were given (so a mode refuses what it
 * cannot honour instead of ignoring it) and their values, checked as they are read.
 */
final class EmulatorOptions {

    static final int DEFAULT_PORT = 8024;
    static final int DEFAULT_WEBHOOK_USER = 1;
    static final String DEFAULT_WEBHOOK_CODE = "local-emulator";
    static final int DEFAULT_INSTALL_WAIT_SECONDS = 60;

    /** Options a cloud cannot honour, with the reason told to the user. */
    static final Map<String, String> NOT_IN_CLOUD = Map.of(
            "--https", "the cloud serves plain HTTP only (the certificate names 127.0.0.1, not the portals' 127.0.1.x)",
            "--https-required", "the cloud serves plain HTTP only, so every webhook call would be refused",
            "--export-truststore", "the cloud serves plain HTTP only: there is no certificate to trust",
            "--print-arrivals", "its lines do not say which portal a request came to");
    /** Options of a cloud only. */
    static final Set<String> CLOUD_ONLY = Set.of("--install-handler", "--uninstall-handler", "--install-wait");

    /** A command line that cannot run: the message for stderr, exit code 2. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    final Set<String> given = new LinkedHashSet<>();
    boolean help;
    int port = DEFAULT_PORT;
    boolean https;
    boolean httpsRequired;
    int webhookUser = DEFAULT_WEBHOOK_USER;
    String webhookCode = DEFAULT_WEBHOOK_CODE;
    String clientId;
    String clientSecret;
    int rateBurst;
    double ratePerSecond;
    int leads;
    int contacts;
    int deals;
    int companies;
    double faultRate;
    List<String> languages = List.of("en");
    boolean legacyDelete;
    boolean selfHosted;
    boolean printArrivals;
    Path exportTrustStore;
    int portals;
    URI installHandler;
    URI uninstallHandler;
    int installWaitSeconds = DEFAULT_INSTALL_WAIT_SECONDS;

    private EmulatorOptions() {
    }

    static EmulatorOptions parse(String... args) throws UsageException {
        EmulatorOptions o = new EmulatorOptions();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                o.help = true;
                continue;
            }
            if (!o.given.add(option)) {
                throw new UsageException(option + " is given twice");
            }
            if (option.equals("--https") || option.equals("--https-required") || option.equals("--legacy-delete")
                || option.equals("--self-hosted") || option.equals("--print-arrivals")) {
                o.flag(option);
                continue;
            }
            if (i + 1 >= args.length) {
                throw new UsageException(knows(option) ? option + " needs a value" : "unknown option " + option);
            }
            o.value(option, args[++i]);
        }
        o.check();
        return o;
    }

    private static boolean knows(String option) {
        return List.of("--port", "--webhook", "--client", "--rate-limit", "--leads", "--contacts", "--deals", "--companies", "--faults", "--lang",
                "--export-truststore", "--portals", "--install-handler", "--uninstall-handler", "--install-wait")
                .contains(option);
    }

    private void flag(String option) {
        switch (option) {
            case "--https" -> https = true;
            case "--https-required" -> httpsRequired = true;
            case "--legacy-delete" -> legacyDelete = true;
            case "--self-hosted" -> selfHosted = true;
            default -> printArrivals = true;
        }
    }

    private void value(String option, String value) throws UsageException {
        switch (option) {
            case "--port" -> port = number(option, value, 0, 65535);
            case "--webhook" -> {
                String[] parts = pair(option, value, "/", "USER/CODE");
                webhookUser = number(option, parts[0], 1, Integer.MAX_VALUE);
                webhookCode = parts[1];
            }
            case "--client" -> {
                String[] parts = pair(option, value, ":", "ID:SECRET");
                clientId = parts[0];
                clientSecret = parts[1];
            }
            case "--rate-limit" -> {
                String[] parts = pair(option, value, "/", "B/R");
                rateBurst = number(option, parts[0], 1, Integer.MAX_VALUE);
                ratePerSecond = decimal(option, parts[1], Double.MIN_VALUE, Double.MAX_VALUE);
            }
            case "--leads" -> leads = number(option, value, 0, 1_000_000);
            case "--contacts" -> contacts = number(option, value, 0, 1_000_000);
            case "--deals" -> deals = number(option, value, 0, 1_000_000);
            case "--companies" -> companies = number(option, value, 0, 1_000_000);
            case "--faults" -> faultRate = decimal(option, value, 0, 1);
            case "--lang" -> {
                List<String> codes = new ArrayList<>();
                for (String code : value.split(",", -1)) {
                    if (!PortalLanguage.codes().contains(code.trim())) {
                        throw new UsageException("--lang: unknown language '" + code + "'; known: "
                                                 + String.join(", ", PortalLanguage.codes()));
                    }
                    codes.add(code.trim());
                }
                languages = List.copyOf(codes);
            }
            case "--export-truststore" -> exportTrustStore = Path.of(value);
            case "--portals" -> portals = number(option, value, 1, 250 * 250);
            case "--install-handler" -> installHandler = url(option, value);
            case "--uninstall-handler" -> uninstallHandler = url(option, value);
            case "--install-wait" -> installWaitSeconds = number(option, value, 0, 24 * 3600);
            default -> throw new UsageException("unknown option " + option);
        }
    }

    /** What one mode cannot honour of what the other takes. */
    private void check() throws UsageException {
        if (help) {
            return;
        }
        if (portals > 0) {
            for (String option : given) {
                String reason = NOT_IN_CLOUD.get(option);
                if (reason != null) {
                    throw new UsageException(option + " cannot be used with --portals: " + reason);
                }
            }
        } else {
            for (String option : given) {
                if (CLOUD_ONLY.contains(option)) {
                    throw new UsageException(option + " needs --portals N: install events go to an application"
                                             + " installed on a cloud's portals");
                }
            }
            if (languages.size() > 1) {
                throw new UsageException("--lang takes one language without --portals (a list is for a cloud's"
                                         + " portals, in turn)");
            }
        }
    }

    private static int number(String option, String value, int min, int max) throws UsageException {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // told below
        }
        throw new UsageException(option + ": expected a whole number from " + min + " to " + max + ", not '" + value
                                 + "'");
    }

    private static double decimal(String option, String value, double min, double max) throws UsageException {
        try {
            double d = Double.parseDouble(value.trim());
            if (d >= min && d <= max) {
                return d;
            }
        } catch (NumberFormatException e) {
            // told below
        }
        throw new UsageException(option + ": expected a number" + (max == 1 ? " from 0 to 1" : " above 0") + ", not '"
                                 + value + "'");
    }

    private static String[] pair(String option, String value, String separator, String form) throws UsageException {
        String[] parts = value.split(separator, 2);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new UsageException(option + ": expected " + form + ", not '" + value + "'");
        }
        return parts;
    }

    private static URI url(String option, String value) throws UsageException {
        try {
            URI uri = new URI(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // told below
        }
        throw new UsageException(option + ": expected an http:// or https:// URL, not '" + value + "'");
    }
}
