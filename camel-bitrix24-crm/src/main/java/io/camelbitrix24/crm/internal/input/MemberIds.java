package io.camelbitrix24.crm.internal.input;

import java.util.Locale;
import java.util.regex.Pattern;

import io.camelbitrix24.crm.internal.call.Failure;

/** The one rule for a member_id, wherever it comes from: the portal header or an installation event. */
public final class MemberIds {

    /** A member_id: Bitrix24's are 32 lower-case hexadecimal characters; letters and digits, so never a URL or a path. */
    private static final Pattern MEMBER_ID = Pattern.compile("[0-9a-z]{1,64}");

    private MemberIds() {
    }

    /**
     * A member_id as the registry keys it: trimmed and in lower case, as Bitrix24 writes them, so {@code " A1B2 "} is
     * {@code a1b2}; anything but letters and digits is refused, naming {@code field}.
     */
    public static String of(String raw, String field, String method, String nothingDone) {
        String memberId = raw.strip().toLowerCase(Locale.ROOT);
        if (!MEMBER_ID.matcher(memberId).matches()) {
            throw Failure.invalidInput(method, field, "Invalid member_id in " + field + ": " + Echo.of(raw)
                                                      + " (a member_id is 1 to 64 letters and digits, as Bitrix24's 32"
                                                      + " hexadecimal characters); " + nothingDone);
        }
        return memberId;
    }
}
