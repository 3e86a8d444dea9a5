package io.camelbitrix24.examples;

import org.apache.camel.main.Main;

/**
 * A user's Camel Main application made of the README's quick start: its route, and the application.properties in the
 * working directory. Stops after a few idle seconds; run by {@link QuickStartTest} in a JVM of its own.
 */
public final class QuickStartMain {

    private QuickStartMain() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.setPropertyPlaceholderLocations("file:application.properties");
        main.configure().addRoutesBuilder(new QuickStartRoutes());
        main.configure().setDurationMaxIdleSeconds(3);
        main.configure().setDurationMaxSeconds(60);
        main.run(args);
    }
}
