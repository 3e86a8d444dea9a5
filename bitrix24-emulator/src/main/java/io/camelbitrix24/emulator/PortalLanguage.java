package io.camelbitrix24.emulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The portal's language: the texts a Bitrix24 server takes from its {@code lang/} files (by message key), in that
 * language. Texts the server writes in its PHP code stay English and are not here. The strings, with the server file
 * each comes from, are in {@code bitrix24-emulator-lang.tsv}.
 * <p>
 * Besides the languages of that file, {@link #PSEUDO} is a test-only language that no client's phrase table holds: each
 * English text rewritten with accented letters and brackets, as pseudo-localization does.
 */
public final class PortalLanguage {

    /** The test-only pseudo-language (Microsoft's name for pseudo-localization). */
    public static final String PSEUDO = "qps";

    private static final String RESOURCE = "bitrix24-emulator-lang.tsv";
    private static final Map<String, Map<String, String>> TEXTS = load();

    private final String code;

    private PortalLanguage(String code) {
        this.code = code;
    }

    /** A language by its Bitrix24 code ({@code en}, {@code ru}, {@code de}, ...) or {@link #PSEUDO}. */
    public static PortalLanguage of(String code) {
        if (!PSEUDO.equals(code) && !TEXTS.containsKey(code)) {
            throw new IllegalArgumentException("unknown portal language '" + code + "'; known: " + codes());
        }
        return new PortalLanguage(code);
    }

    /** The language codes the emulator speaks. */
    public static Set<String> codes() {
        Set<String> codes = new TreeSet<>(TEXTS.keySet());
        codes.add(PSEUDO);
        return codes;
    }

    public String code() {
        return code;
    }

    /** The text of a lang key, its {@code #NAME#} placeholders filled from {@code values} (name, value, ...). */
    String message(String key, String... values) {
        String text = PSEUDO.equals(code) ? pseudo(english(key)) : TEXTS.get(code).get(key);
        if (text == null) {
            // the server's Loc falls back to the language's default: kz and by to ru, every other to en
            String fallback = "kz".equals(code) || "by".equals(code) ? "ru" : "en";
            text = TEXTS.get(fallback).getOrDefault(key, english(key));
        }
        for (int i = 0; i + 1 < values.length; i += 2) {
            text = text.replace("#" + values[i] + "#", values[i + 1]);
        }
        return text;
    }

    private static String english(String key) {
        String text = TEXTS.get("en").get(key);
        if (text == null) {
            throw new IllegalArgumentException("no text for lang key " + key);
        }
        return text;
    }

    /** {@code Lead was not found.} -> {@code [!! Ŀēàď ŵàš ńōţ ƒōūńď. !!]}: placeholders kept. */
    private static String pseudo(String english) {
        String plain = "aceilnorstuwdfgLAEIOUNS";
        String accented = "àçēìĺńōŕšţūŵďƒğĿÀÉÌÔÜÑŠ";
        StringBuilder out = new StringBuilder("[!! ");
        boolean inPlaceholder = false;
        for (char c : english.toCharArray()) {
            inPlaceholder ^= c == '#';
            int i = plain.indexOf(c);
            out.append(i >= 0 && !inPlaceholder ? accented.charAt(i) : c);
        }
        return out.append(" !!]").toString();
    }

    private static Map<String, Map<String, String>> load() {
        Map<String, Map<String, String>> texts = new HashMap<>();
        try (InputStream in = PortalLanguage.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + RESOURCE);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                // key <TAB> language <TAB> source <TAB> text
                String[] columns = line.split("\t", -1);
                if (columns.length != 4) {
                    throw new IllegalStateException(RESOURCE + ": expected 4 tab-separated columns in: " + line);
                }
                texts.computeIfAbsent(columns[1], k -> new HashMap<>()).put(columns[0], columns[3]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return texts;
    }
}
