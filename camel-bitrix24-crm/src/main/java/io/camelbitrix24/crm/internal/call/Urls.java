package io.camelbitrix24.crm.internal.call;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The component's rules for the URLs it is given or told: a portal's address, plain HTTP refused unless allowed, a
 * base with one slash, and a URL fit for a message. URLs are read as text: a URI parser's errors would quote the whole
 * URL, webhook code included.
 */
public final class Urls {

    // scheme, then the authority without any user:password@ (a name, never a credential)
    private static final Pattern PORTAL_ADDRESS =
            Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)(?:[^/?#\\s@]*@)?([^/?#\\s@]+)");
    private static final Pattern PORTAL_REST_ADDRESS = Pattern.compile("(?i)https?://[a-z0-9.-]+(:[0-9]{1,5})?/rest/");

    private Urls() {
    }

    /** {@code scheme://host:port} of a URL, in lower case, without any user information; null when it has none. */
    public static String portalAddress(String url) {
        if (url == null) {
            return null;
        }
        Matcher address = PORTAL_ADDRESS.matcher(url);
        return address.lookingAt() ? (address.group(1) + address.group(2)).toLowerCase(Locale.ROOT) : null;
    }

    /**
     * How people name the portal of {@code url}: its host, and port when it has one ({@code acme.bitrix24.com}); never
     * a path, so never a webhook's code.
     */
    public static String portalName(String url) {
        String address = portalAddress(url);
        return address == null ? "?" : address.substring(address.indexOf("://") + 3);
    }

    /** Refuses, naming {@code option}, a URL that is not https (or http where {@code allowInsecureHttp}). */
    public static void requireSecure(String option, String url, boolean allowInsecureHttp) {
        String scheme;
        try {
            scheme = URI.create(url).getScheme();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " is not a valid URL: " + maskPath(url));
        }
        if ("http".equalsIgnoreCase(scheme) && !allowInsecureHttp) {
            throw new IllegalArgumentException(option + " uses plain http://, which Bitrix24 refuses and which would expose"
                                               + " credentials; use https://, or set allowInsecureHttp=true for a local"
                                               + " emulator or test portal only");
        }
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException(option + " must be an https:// URL: " + maskPath(url));
        }
    }

    /** A portal's REST address a refresh answer may move an installation to: a host's /rest/, as secure as allowed. */
    public static boolean isPortalRestAddress(String url, boolean allowInsecureHttp) {
        if (!PORTAL_REST_ADDRESS.matcher(url).matches()) {
            return false;
        }
        try {
            requireSecure("client_endpoint", url, allowInsecureHttp);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code url} ending with one slash, as a base the path of a call is appended to. */
    public static String withSlash(String url) {
        return url.endsWith("/") ? url : url + "/";
    }

    /** A URL fit for a message: scheme and host, the rest of the path masked. */
    public static String maskPath(String url) {
        int rest = url.indexOf("/rest/");
        return rest < 0 ? url.replaceAll("(?<=://[^/]{0,200}/).*", "xxxxxx") : url.substring(0, rest) + "/rest/xxxxxx";
    }
}
