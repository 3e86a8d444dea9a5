package io.camelbitrix24.crm.internal.input;

/** How a refusal shows the value it refuses: quoted, typed where it is not text, on one line, and cut short. */
public final class Echo {

    private static final int LIMIT = 40;

    private Echo() {
    }

    public static String of(Object value) {
        if (value == null) {
            return "null";
        }
        String text = String.valueOf(value);
        String shown = text.length() > LIMIT ? text.substring(0, LIMIT) + "... (" + text.length() + " characters)" : text;
        shown = shown.replace("\n", "\\n").replace("\r", "\\r");
        return value instanceof CharSequence ? "'" + shown + "'" : shown + " (" + value.getClass().getSimpleName() + ")";
    }
}
