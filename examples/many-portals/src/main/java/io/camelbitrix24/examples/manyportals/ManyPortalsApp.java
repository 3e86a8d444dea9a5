package io.camelbitrix24.examples.manyportals;

import org.apache.camel.main.Main;

/**
 * One application for every portal its Bitrix24 application is installed on: Camel Main with
 * {@code application.properties} and {@link ManyPortalsRoutes}. Its settings come from the environment:
 * {@code BITRIX24_CLIENT_ID}, {@code BITRIX24_CLIENT_SECRET}, {@code REDIS_URI}, and optionally
 * {@code BITRIX24_OAUTH_SERVER_URL}, {@code BITRIX24_ALLOW_INSECURE_HTTP} (an emulator only) and {@code PORT}.
 */
public final class ManyPortalsApp {

    private ManyPortalsApp() {
    }

    public static void main(String[] args) throws Exception {
        // finds ManyPortalsRoutes in this package
        new Main(ManyPortalsApp.class).run(args);
    }
}
