package io.camelbitrix24.crm.springboot;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The starter's options never drift from the component's: the same names, types, defaults and secrets as the
 * catalog JSON, and IDE metadata with each option's description.
 */
class Bitrix24CrmStarterOptionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> BOXED = Map.of("boolean", "java.lang.Boolean", "int", "java.lang.Integer",
            "long", "java.lang.Long", "double", "java.lang.Double");

    private static JsonNode read(String resource) throws Exception {
        try (InputStream in = Bitrix24CrmStarterOptionsTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            return JSON.readTree(in);
        }
    }

    private static Map<String, JsonNode> catalogOptions() throws Exception {
        Map<String, JsonNode> options = new TreeMap<>();
        JsonNode properties = read("META-INF/io/camelbitrix24/crm/bitrix24-crm.json").path("componentProperties");
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> option = it.next();
            options.put(option.getKey(), option.getValue());
        }
        return options;
    }

    private static Map<String, Field> starterOptions() {
        Map<String, Field> fields = new TreeMap<>();
        for (Field field : Bitrix24CrmComponentConfiguration.class.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                fields.put(field.getName(), field);
            }
        }
        return fields;
    }

    @Test
    void namesTypesAndDefaultsAreTheCatalogs() throws Exception {
        Map<String, JsonNode> catalog = catalogOptions();
        Map<String, Field> starter = starterOptions();
        assertEquals(catalog.keySet(), starter.keySet(), "option names");
        Bitrix24CrmComponentConfiguration defaults = new Bitrix24CrmComponentConfiguration();
        for (Map.Entry<String, JsonNode> option : catalog.entrySet()) {
            Field field = starter.get(option.getKey());
            String javaType = option.getValue().path("javaType").asText();
            assertEquals(BOXED.getOrDefault(javaType, javaType), field.getType().getName(), option.getKey() + " type");
            field.setAccessible(true);
            Object value = field.get(defaults);
            JsonNode expected = option.getValue().get("defaultValue");
            assertEquals(expected == null ? null : expected.asText(), value == null ? null : String.valueOf(value),
                    option.getKey() + " default");
        }
    }

    @Test
    void secretsAreTheCatalogsAndMaskedInEveryReport() throws Exception {
        TreeSet<String> catalogSecrets = new TreeSet<>();
        catalogOptions().forEach((name, option) -> {
            if (option.path("secret").asBoolean()) {
                catalogSecrets.add(name);
            }
        });
        assertEquals(catalogSecrets, new TreeSet<>(Bitrix24CrmSecrets.OPTIONS));
        for (String secret : catalogSecrets) {
            String kebab = secret.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
            assertEquals(true, Bitrix24CrmSecrets.isSecret("camel.component.bitrix24-crm." + kebab), kebab);
            assertEquals(true, Bitrix24CrmSecrets.isSecret(secret), secret);
        }
        assertEquals(false, Bitrix24CrmSecrets.isSecret("camel.component.bitrix24-crm.portal-url"));
        // an environment variable of any name that holds a webhook URL
        assertEquals(true, Bitrix24CrmSecrets.isSecret("MY_PORTAL", "https://acme.bitrix24.com/rest/7/s3cr3t/"));
        assertEquals(false, Bitrix24CrmSecrets.isSecret("MY_PORTAL", "https://acme.bitrix24.com"));
    }

    @Test
    void ideMetadataHasEveryOptionWithItsDescription() throws Exception {
        Map<String, String> metadata = new TreeMap<>();
        for (JsonNode property : read("META-INF/spring-configuration-metadata.json").path("properties")) {
            metadata.put(property.path("name").asText(), property.path("description").asText());
        }
        for (Map.Entry<String, JsonNode> option : catalogOptions().entrySet()) {
            String kebab = "camel.component.bitrix24-crm." + option.getKey().replaceAll("([A-Z])", "-$1")
                    .toLowerCase(java.util.Locale.ROOT);
            assertEquals(option.getValue().path("description").asText().replaceAll("\\s+", " "),
                    metadata.get(kebab) == null ? null : metadata.get(kebab).replaceAll("\\s+", " "), kebab);
        }
    }
}
