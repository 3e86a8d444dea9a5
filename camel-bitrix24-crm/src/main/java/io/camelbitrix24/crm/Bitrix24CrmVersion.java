package io.camelbitrix24.crm;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The component's version, as the build wrote it, and the User-Agent that names the component to Bitrix24. */
final class Bitrix24CrmVersion {

    static final String VERSION = read();

    private Bitrix24CrmVersion() {
    }

    /** {@code camel-bitrix24-crm/<version>}, unless the user set another. */
    static String userAgent(String configured) {
        return configured != null && !configured.isBlank() ? configured : "camel-bitrix24-crm/" + VERSION;
    }

    private static String read() {
        try (InputStream in = Bitrix24CrmVersion.class.getResourceAsStream("bitrix24-crm-version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
