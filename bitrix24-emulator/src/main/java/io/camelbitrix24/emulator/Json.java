package io.camelbitrix24.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON reading and writing for the emulator. */
final class Json {

    /**
     * Writes as the portal's Json::encode does (main/lib/web/json.php DEFAULT_OPTIONS: JSON_HEX_QUOT, JSON_HEX_APOS,
     * JSON_HEX_TAG, JSON_HEX_AMP, JSON_UNESCAPED_UNICODE): quotes, apostrophes and {@code <>&} as hexadecimal escapes
     * (u0022 and so on), other text as it is.
     */
    static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        MAPPER.getFactory().setCharacterEscapes(new PhpHexEscapes());
    }

    private static final class PhpHexEscapes extends CharacterEscapes {
        private final int[] escapes = standardAsciiEscapesForJSON();

        PhpHexEscapes() {
            for (char c : new char[] { '"', '\'', '<', '>', '&' }) {
                escapes[c] = ESCAPE_STANDARD;
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }

    private Json() {
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] errorBody(Bitrix24Error error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error.code());
        // the OAuth server's refusals carry no description
        if (error.description() != null) {
            body.put("error_description", error.description());
        }
        return write(body);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readObject(byte[] body) throws IOException {
        Object value = MAPPER.readValue(body, Object.class);
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IOException("JSON body is not an object");
    }
}
