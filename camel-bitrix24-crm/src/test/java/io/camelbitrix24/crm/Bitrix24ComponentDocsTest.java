package io.camelbitrix24.crm;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelbitrix24.crm.internal.call.Operation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The component page ({@code src/main/docs/bitrix24-crm-component.adoc}) carries the options and headers tables rendered
 * from the catalog JSON that Camel's tooling generates, between {@code // ...: START} and {@code // ...: END} markers,
 * as Camel's own pages do. This test fails when they drift apart; {@code -Dbitrix24.docs.update=true} rewrites them.
 */
class Bitrix24ComponentDocsTest {

    private static final Path JSON = Path.of("src/generated/resources/META-INF/io/camelbitrix24/crm/bitrix24-crm.json");
    private static final Path DOC = Path.of("src/main/docs/bitrix24-crm-component.adoc");

    @Test
    void theTablesOfTheComponentPageAreTheCatalogJson() throws Exception {
        JsonNode catalog = new ObjectMapper().readTree(JSON.toFile());
        Map<String, String> sections = Map.of(
                "component options", optionsTable(catalog.path("componentProperties"), false),
                "endpoint options", optionsTable(catalog.path("properties"), true),
                "component headers", headersTable(catalog.path("headers")));
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        String updated = doc;
        for (Map.Entry<String, String> section : sections.entrySet()) {
            updated = replaceSection(updated, section.getKey(), section.getValue());
        }
        if (Boolean.getBoolean("bitrix24.docs.update")) {
            Files.writeString(DOC, updated, StandardCharsets.UTF_8);
            doc = updated;
        }
        assertEquals(updated, doc, "the component page is out of date: run mvn verify -Dbitrix24.docs.update=true");

        // every option, header and operation of the catalog is on the page, with its description
        for (String group : List.of("componentProperties", "properties", "headers")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = catalog.path(group).fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                String description = entry.getValue().path("description").asText();
                assertFalse(description.isBlank(), group + "." + entry.getKey() + " has no description");
                assertTrue(doc.contains(entry.getKey()), entry.getKey() + " is missing from the page");
            }
        }
        String entities = catalog.path("properties").path("entity").path("enum").toString();
        for (Operation operation : Operation.values()) {
            assertTrue(entities.contains('"' + operation.entity() + '"'), operation.entity() + " in " + entities);
            assertTrue(doc.contains("bitrix24-crm:" + operation.path()), operation.path() + " is missing from the page");
        }
    }

    private static String replaceSection(String doc, String name, String content) {
        String start = "// " + name + ": START\n";
        String end = "// " + name + ": END";
        int from = doc.indexOf(start);
        int to = doc.indexOf(end);
        assertTrue(from >= 0 && to > from, "the page has no '" + name + "' markers");
        return doc.substring(0, from + start.length()) + content + doc.substring(to);
    }

    private static String optionsTable(JsonNode options, boolean endpoint) {
        StringBuilder table = new StringBuilder();
        List<String> paths = new ArrayList<>();
        StringBuilder rows = new StringBuilder();
        int count = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode option = entry.getValue();
            if ("path".equals(option.path("kind").asText())) {
                paths.add("| *" + entry.getKey() + "* (required) | " + cell(option.path("description").asText())
                          + " | | " + type(option) + "\n");
                continue;
            }
            count++;
            rows.append("| *").append(entry.getKey()).append("* (").append(option.path("group").asText()).append(")")
                    .append(option.path("secret").asBoolean() ? " *secret*" : "")
                    .append(" | ").append(cell(option.path("description").asText()))
                    .append(" | ").append(option.has("defaultValue") ? option.get("defaultValue").asText() : "")
                    .append(" | ").append(type(option)).append('\n');
        }
        if (endpoint) {
            table.append("Path parameters (").append(paths.size()).append("):\n\n");
            table.append("[width=\"100%\",cols=\"2,5,^1,2\",options=\"header\"]\n|===\n| Name | Description | Default | Type\n");
            paths.forEach(table::append);
            table.append("|===\n\nQuery parameters (").append(count).append("):\n\n");
        } else {
            table.append("The component supports ").append(count).append(" options, set with"
                                                                         + " `camel.component.bitrix24-crm.<option>`:\n\n");
        }
        table.append("[width=\"100%\",cols=\"2,5,^1,2\",options=\"header\"]\n|===\n| Name | Description | Default | Type\n");
        table.append(rows).append("|===\n");
        return table.toString();
    }

    private static String headersTable(JsonNode headers) {
        StringBuilder table = new StringBuilder("The component supports ").append(headers.size()).append(" message headers:\n\n");
        table.append("[width=\"100%\",cols=\"10%,10%,10%,10%,60%\",options=\"header\"]\n|===\n"
                     + "| Name | Constant | Default | Type | Description\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode header = entry.getValue();
            String constant = header.path("constantName").asText();
            table.append("| ").append(entry.getKey())
                    .append(" | `").append(constant.substring(constant.indexOf('#') + 1)).append('`')
                    .append(" | | ").append(header.path("javaType").asText())
                    .append(" | ").append(cell(header.path("description").asText())).append('\n');
        }
        return table.append("|===\n").toString();
    }

    private static String type(JsonNode option) {
        String type = option.path("type").asText();
        if ("enum".equals(type)) {
            List<String> values = new ArrayList<>();
            option.path("enum").forEach(v -> values.add(v.asText()));
            return "enum: " + String.join(", ", values);
        }
        String javaType = option.path("javaType").asText();
        return javaType.substring(javaType.lastIndexOf('.') + 1);
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    /**
     * What a user copies from the docs works: property placeholders use the syntax Camel Main resolves
     * ({@code {{env:NAME}}}, not {@code ${env:NAME}}). The versions snippets name are {@link Bitrix24ReadmeVersionTest}'s.
     */
    @Test
    void placeholdersInWhatUsersCopyAreOnesCamelResolves() throws Exception {
        Path readme = Path.of("..", "README.md");
        List<Path> copied = new java.util.ArrayList<>(List.of(DOC, readme));
        try (java.util.stream.Stream<Path> docs = Files.list(Path.of("..", "docs"))) {
            docs.filter(f -> f.toString().endsWith(".md")).forEach(copied::add);
        }
        try (java.util.stream.Stream<Path> files = Files.walk(Path.of("..", "examples", "src"))) {
            files.filter(f -> f.toString().endsWith(".properties") || f.toString().endsWith(".yaml")).forEach(copied::add);
        }
        for (Path file : copied) {
            assertFalse(Files.readString(file).contains("${env:"), file + " uses ${env:...}, which Camel Main does not"
                                                                     + " resolve: {{env:...}}");
        }
    }
}
