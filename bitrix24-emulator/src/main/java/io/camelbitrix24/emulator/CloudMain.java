package io.camelbitrix24.emulator;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * {@code --portals N}: the standalone emulator as a cloud of N portals and their OAuth server, all on one port, with
 * what a user needs to reach each portal printed, the application installed on every portal when a handler is given,
 * and the control surfaces of {@link CloudConsole}.
 */
final class CloudMain {

    private CloudMain() {
    }

    /** Starts the cloud and its control surfaces, prints them, installs the application if asked; runs on after. */
    static Bitrix24Cloud start(EmulatorOptions options, PrintStream out) throws InterruptedException {
        Bitrix24Cloud.Builder builder = Bitrix24Cloud.builder().portals(options.portals).port(options.port)
                .seedLeads(options.leads).seedContacts(options.contacts)
                .seedDeals(options.deals).seedCompanies(options.companies)
                .webhook(options.webhookUser, options.webhookCode)
                .languages(options.languages.toArray(String[]::new))
                .legacyDelete(options.legacyDelete).selfHosted(options.selfHosted);
        if (options.clientId != null) {
            builder.application(options.clientId, options.clientSecret);
        }
        if (options.rateBurst > 0) {
            builder.rateLimit(options.rateBurst, options.ratePerSecond);
        }
        Bitrix24Cloud cloud = builder.start();
        if (options.faultRate > 0) {
            cloud.portals().forEach(portal -> portal.faults().setRates(options.faultRate, Fault.values()));
        }
        CloudControl control = new CloudControl(cloud, options.installHandler, options.uninstallHandler);
        CloudConsole console = new CloudConsole(control, out);
        cloud.serveOnOAuthServer(CloudConsole.CONTROL_PATH, console::handle);
        printStart(cloud, options, out);

        if (options.installHandler != null) {
            installEverywhere(control, Duration.ofSeconds(options.installWaitSeconds), out);
        }
        console.readCommands(System.in);
        out.println("Ready. Commands on stdin: " + CloudConsole.COMMANDS);
        return cloud;
    }

    private static void printStart(Bitrix24Cloud cloud, EmulatorOptions options, PrintStream out) {
        List<Bitrix24Emulator> portals = cloud.portals();
        out.println("Bitrix24 cloud emulator: " + portals.size() + " portals, plain HTTP");
        out.println("OAuth server and app.info: " + cloud.oauthServerUrl() + " (for oauthServerUrl)");
        out.println("Application: client id " + cloud.clientId() + ", client secret " + cloud.clientSecret()
                    + (options.clientId == null ? " (random, a local test secret; set both with --client ID:SECRET)"
                            : " (a local test secret)"));
        for (int i = 0; i < portals.size(); i++) {
            Bitrix24Emulator portal = portals.get(i);
            // the webhook code is a local test secret of this emulator: printed so the portal can be used at once
            out.println("portal " + (i + 1) + ": rest " + portal.restUrl() + " member_id " + portal.memberId()
                        + " webhook " + portal.webhookUrl() + " language " + portal.language().code()
                        + " leads " + portal.data().leadCount() + " contacts " + portal.data().contactCount());
        }
        out.println("Control: POST " + cloud.oauthServerUrl() + CloudConsole.CONTROL_PATH + "/{n}/install or /uninstall"
                    + " (ONAPPINSTALL to " + describe(options.installHandler, "--install-handler")
                    + ", ONAPPUNINSTALL to " + describe(options.uninstallHandler, "--uninstall-handler") + ")");
    }

    private static String describe(Object handler, String option) {
        return handler != null ? handler.toString() : "no handler: set " + option + " URL";
    }

    /** ONAPPINSTALL for every portal in turn, all within one wait for a handler that is not up yet. */
    private static void installEverywhere(CloudControl control, Duration wait, PrintStream out)
            throws InterruptedException {
        out.println("Installing the application on " + control.portalCount() + " portals: ONAPPINSTALL to "
                    + control.installHandler() + " (a handler not up yet is tried every 500 ms for "
                    + wait.toSeconds() + " s)");
        long deadline = System.nanoTime() + wait.toNanos();
        for (int number = 1; number <= control.portalCount(); number++) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            try {
                out.println(control.install(number, left).describe());
            } catch (CloudControl.Refused e) {
                out.println(e.getMessage());
            }
        }
    }
}
