package io.camelbitrix24.emulator;

import java.util.concurrent.CountDownLatch;

/** Runs the emulator standalone: {@code java -jar bitrix24-emulator.jar --port 8024 --leads 100 --contacts 50}. */
public final class EmulatorMain {

    static final String DEFAULT_WEBHOOK_CODE = "local-emulator";

    private EmulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        // a fixed, documented code for the standalone portal; --webhook sets another one
        Bitrix24Emulator.Builder builder = Bitrix24Emulator.builder().port(8024).webhook(1, DEFAULT_WEBHOOK_CODE);
        double faultRate = 0;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
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
                }
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
                default -> {
                    System.err.println("unknown option " + arg + "; options:");
                    Bitrix24Emulator.options().forEach(o -> System.err.println("  " + o));
                    System.exit(2);
                }
            }
        }
        Bitrix24Emulator emulator = builder.start();
        if (faultRate > 0) {
            emulator.faults().setRates(faultRate, Fault.values());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(emulator::close));
        System.out.println("Bitrix24 emulator listening on " + emulator.baseUrl());
        // the webhook code is a secret even here: say where it comes from, never print it
        System.out.println("Webhook URL: " + emulator.baseUrl() + "/rest/<userId>/<code>/ with the user id and code given"
                           + " by --webhook (the default is in the README)");
        System.out.println("OAuth server: " + emulator.oauthServerUrl() + " (for oauthServerUrl)");
        System.out.println("Language: " + emulator.language().code());
        System.out.println("Leads: " + emulator.data().leadCount() + ", contacts: " + emulator.data().contactCount());
        new CountDownLatch(1).await();
    }
}
