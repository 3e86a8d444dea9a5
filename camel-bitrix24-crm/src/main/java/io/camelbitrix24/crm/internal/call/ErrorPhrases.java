package io.camelbitrix24.crm.internal.call;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The error texts a Bitrix24 portal answers for these methods, in every language its {@code lang/} files ship, and the
 * fixed English texts written in its code: which mean "not found", "no permission", or a wrong entity type. Kept as
 * data in {@code bitrix24-error-phrases.tsv}, with the server file each text comes from. A text no row holds decides
 * nothing: the caller asks the portal instead.
 */
final class ErrorPhrases {

    /** What a known text means. */
    enum Meaning {
        NOT_FOUND,
        ACCESS_DENIED,
        /** {@code crm.item.delete} with an entity type the portal does not have: a configuration error. */
        ENTITY_TYPE_NOT_FOUND
    }

    static final String RESOURCE = "bitrix24-error-phrases.tsv";

    private static final Pattern PLACEHOLDER = Pattern.compile("#[A-Z_]+#");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private static final ErrorPhrases INSTANCE = load();

    private final Map<String, Meaning> exact;
    private final List<Map.Entry<Pattern, Meaning>> templates;

    private ErrorPhrases(Map<String, Meaning> exact, List<Map.Entry<Pattern, Meaning>> templates) {
        this.exact = exact;
        this.templates = templates;
    }

    static ErrorPhrases get() {
        return INSTANCE;
    }

    /** What the description means, or null when no row of the table holds it. */
    Meaning meaning(String description) {
        if (description == null || description.isBlank()) {
            return null;
        }
        String text = normalize(description);
        Meaning meaning = exact.get(text);
        if (meaning != null) {
            return meaning;
        }
        for (Map.Entry<Pattern, Meaning> template : templates) {
            if (template.getKey().matcher(text).matches()) {
                return template.getValue();
            }
        }
        return null;
    }

    int size() {
        return exact.size() + templates.size();
    }

    /** Case, runs of white space and a final period or exclamation mark do not matter. */
    static String normalize(String text) {
        String s = SPACES.matcher(text.strip()).replaceAll(" ").toLowerCase(Locale.ROOT);
        while (!s.isEmpty() && (s.endsWith(".") || s.endsWith("!"))) {
            s = s.substring(0, s.length() - 1).stripTrailing();
        }
        return s;
    }

    private static ErrorPhrases load() {
        Map<String, Meaning> exact = new HashMap<>();
        List<Map.Entry<Pattern, Meaning>> templates = new ArrayList<>();
        try (InputStream in = ErrorPhrases.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE + " next to " + ErrorPhrases.class);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                // meaning <TAB> language <TAB> source <TAB> text
                String[] columns = line.split("\t", -1);
                if (columns.length != 4 || columns[3].isBlank()) {
                    throw new IllegalStateException(RESOURCE + " line " + number + ": expected 4 tab-separated columns");
                }
                Meaning meaning = Meaning.valueOf(columns[0].strip().toUpperCase(Locale.ROOT).replace('-', '_'));
                String text = normalize(columns[3]);
                if (PLACEHOLDER.matcher(columns[3]).find()) {
                    templates.add(Map.entry(template(columns[3]), meaning));
                } else {
                    exact.put(text, meaning);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ErrorPhrases(Map.copyOf(exact), List.copyOf(templates));
    }

    /** A text with {@code #NAME#} placeholders as a pattern: each placeholder stands for any text. */
    private static Pattern template(String text) {
        StringBuilder regex = new StringBuilder();
        String normalized = SPACES.matcher(text.strip()).replaceAll(" ");
        java.util.regex.Matcher m = PLACEHOLDER.matcher(normalized);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(normalized.substring(last, m.start()).toLowerCase(Locale.ROOT))).append(".*?");
            last = m.end();
        }
        regex.append(Pattern.quote(normalize(normalized.substring(last))));
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
