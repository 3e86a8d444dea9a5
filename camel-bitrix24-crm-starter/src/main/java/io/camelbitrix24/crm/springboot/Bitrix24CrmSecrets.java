package io.camelbitrix24.crm.springboot;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The component options that hold a secret, as the catalog marks them: masked in every report Spring Boot makes. */
final class Bitrix24CrmSecrets {

    static final Set<String> OPTIONS = Set.of("webhookUrl", "accessToken", "refreshToken", "clientSecret", "proxyAuthPassword");

    /** A Bitrix24 inbound webhook URL, whatever property or environment variable holds it. */
    private static final Pattern WEBHOOK_URL = Pattern.compile("(?is)\\s*https?://[^/\\s]+(/[^\\s]*)?/rest/\\d+/[^/\\s]+.*");

    private Bitrix24CrmSecrets() {
    }

    /** True for a property whose key names a secret option, or whose value is a webhook URL. */
    static boolean isSecret(String key, Object value) {
        return isSecret(key) || value instanceof CharSequence text && WEBHOOK_URL.matcher(text).matches();
    }

    /** True for a property key naming one of them, in any of Spring's spellings (webhook-url, webhookUrl, ...). */
    static boolean isSecret(String key) {
        String normalized = key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (String option : OPTIONS) {
            String name = option.toLowerCase(Locale.ROOT);
            if (normalized.equals(name) || normalized.endsWith("." + name)) {
                return true;
            }
        }
        return false;
    }
}
