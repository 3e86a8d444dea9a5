package io.camelbitrix24.crm;

import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The rules of the Apache Camel Kamelets catalog's validator ({@code script/validator} of apache/camel-kamelets) and
 * of its README, applied to the Kamelets as the jar ships them (versions filled in by the build). One difference
 * is on purpose: the validator wants the provider "Apache Software Foundation", and these Kamelets are not Apache's.
 */
class Bitrix24KameletCatalogRulesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> TYPES = Set.of("source", "sink", "action");
    private static final Pattern PARAMETER = Pattern.compile("\\{\\{[?]?([A-Za-z0-9-._]+)(?:[:][^}]*)?}}");
    /** The English stop words that need no capital in a property title (a subset of the validator's list). */
    private static final Set<String> STOP_WORDS = Set.of("a", "an", "the", "of", "to", "in", "on", "for", "and", "or",
            "is", "by", "with", "at", "as", "from", "into");
    private static final String OUR_PROVIDER = "camel-bitrix24-crm";
    /** The sinks the jar ships, by the endpoint each calls. */
    private static final List<String> SINKS = List.of("lead-delete", "contact-delete", "deal-delete", "company-delete",
            "item-delete", "lead-contact-delete", "lead-contact-items-delete");

    @Test
    void theShippedKameletsPassTheCatalogValidatorsRules() throws Exception {
        Map<String, JsonNode> kamelets = shipped();
        assertEquals(SINKS.stream().map(sink -> "bitrix24-crm-" + sink + "-sink.kamelet.yaml")
                .collect(Collectors.toCollection(TreeSet::new)), kamelets.keySet(), "the sinks");
        List<String> errors = new ArrayList<>();
        Set<String> titles = new HashSet<>();
        Set<String> descriptions = new HashSet<>();
        Set<String> catalogVersions = new HashSet<>();
        String version = System.getProperty("project.version");
        for (Map.Entry<String, JsonNode> entry : kamelets.entrySet()) {
            String file = entry.getKey();
            JsonNode kamelet = entry.getValue();
            String name = kamelet.path("metadata").path("name").asText();
            if (!file.equals(name + ".kamelet.yaml")) {
                errors.add("file " + file + " does not match the name of the contained kamelet: " + name);
            }
            String type = kamelet.path("metadata").path("labels").path("camel.apache.org/kamelet.type").asText();
            if (!TYPES.contains(type)) {
                errors.add(name + ": invalid camel.apache.org/kamelet.type " + type);
            } else if (!name.endsWith("-" + type)) {
                errors.add(name + " does not end with -" + type);
            }
            JsonNode definition = kamelet.path("spec").path("definition");
            JsonNode template = kamelet.path("spec").path("template");
            if (definition.isMissingNode() || template.isMissingNode()) {
                errors.add(name + " has no definition or no template");
                continue;
            }
            String title = definition.path("title").asText();
            String capitalized = type.substring(0, 1).toUpperCase(Locale.ROOT) + type.substring(1);
            if (title.isBlank() || !title.endsWith(capitalized)) {
                errors.add(name + " title '" + title + "' does not end with " + capitalized);
            }
            if (definition.path("description").asText().isBlank()) {
                errors.add(name + " has no description");
            }
            if (!titles.add(title)) {
                errors.add(name + " has a duplicate title " + title);
            }
            if (!descriptions.add(definition.path("description").asText())) {
                errors.add(name + " has a duplicate description");
            }
            if (!"object".equals(definition.path("type").asText())) {
                errors.add(name + " definition is not of type object");
            }
            Set<String> required = new HashSet<>();
            definition.path("required").forEach(r -> {
                if (!required.add(r.asText())) {
                    errors.add(name + ": required property " + r.asText() + " listed twice");
                }
            });
            JsonNode properties = definition.path("properties");
            required.stream().filter(r -> !properties.has(r)).forEach(r -> errors.add(name + ": required " + r + " not defined"));
            for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> property = it.next();
                checkProperty(name, property.getKey(), property.getValue(), errors);
            }
            Set<String> used = new HashSet<>();
            collectParameters(template, used);
            for (Iterator<String> it = properties.fieldNames(); it.hasNext();) {
                String declared = it.next();
                if (!used.remove(declared)) {
                    errors.add("parameter " + declared + " is declared in kamelet " + name + " but never used");
                }
            }
            used.forEach(u -> errors.add("parameter " + u + " is not declared in the definition of kamelet " + name));
            if ("sink".equals(type) && !template.toString().contains("kamelet:source")) {
                errors.add("sink kamelet " + name + " must consume from kamelet:source");
            }
            JsonNode annotations = kamelet.path("metadata").path("annotations");
            String icon = annotations.path("camel.apache.org/kamelet.icon").asText();
            if (!icon.startsWith("data:image/svg+xml;base64,")
                    || !new String(Base64.getDecoder().decode(icon.substring(icon.indexOf(',') + 1)),
                            StandardCharsets.UTF_8).startsWith("<svg")) {
                errors.add(name + ": camel.apache.org/kamelet.icon is not an embedded SVG data URL");
            }
            String catalogVersion = annotations.path("camel.apache.org/catalog.version").asText();
            catalogVersions.add(catalogVersion);
            if (!catalogVersion.equals(version)) {
                errors.add(name + ": catalog.version " + catalogVersion + " is not the project version " + version);
            }
            if (!OUR_PROVIDER.equals(annotations.path("camel.apache.org/provider").asText())) {
                errors.add(name + ": provider is not " + OUR_PROVIDER);
            }
            checkDependencies(name, kamelet.path("spec").path("dependencies"), version, errors);
            if (!"application/json".equals(kamelet.path("spec").path("types").path("in").path("mediaType").asText())) {
                errors.add(name + ": spec.types.in.mediaType is not application/json");
            }
        }
        if (catalogVersions.size() != 1) {
            errors.add("inconsistent camel.apache.org/catalog.version across the Kamelets: " + catalogVersions);
        }
        System.out.println("Kamelet catalog rules: provider is '" + OUR_PROVIDER + "', not the catalog's 'Apache Software"
                           + " Foundation', on purpose: these Kamelets are not Apache's");
        assertEquals(List.of(), errors);
    }

    private static void checkProperty(String kamelet, String name, JsonNode property, List<String> errors) {
        if (property.path("type").asText().isBlank()) {
            errors.add("property " + name + " in kamelet " + kamelet + " does not contain type");
        }
        String title = property.path("title").asText();
        if (title.isBlank()) {
            errors.add("property " + name + " in kamelet " + kamelet + " does not contain title");
        }
        for (String word : title.split(" ")) {
            if (!word.isEmpty() && word.chars().allMatch(Character::isLetter) && Character.isLowerCase(word.charAt(0))
                    && !STOP_WORDS.contains(word)) {
                errors.add("property " + name + " in kamelet " + kamelet + " has a non-capitalized word in the title: "
                           + word);
            }
        }
        for (String article : List.of("The ", "A ", "An ")) {
            if (title.startsWith(article)) {
                errors.add("property " + name + " in kamelet " + kamelet + " has a title starting with " + article);
            }
        }
        if (property.path("description").asText().isBlank()) {
            errors.add("property " + name + " in kamelet " + kamelet + " does not contain a description");
        }
        Set<String> descriptors = new HashSet<>();
        property.path("x-descriptors").forEach(d -> {
            if (!descriptors.add(d.asText())) {
                errors.add("property " + name + " in kamelet " + kamelet + " lists the x-descriptor " + d.asText()
                           + " more than once");
            }
            if (d.asText().startsWith("urn:alm:descriptor:com.tectonic.ui")) {
                errors.add("property " + name + " in kamelet " + kamelet + " uses the deprecated x-descriptor " + d.asText());
            }
        });
        if ("password".equals(property.path("format").asText()) && !descriptors.contains("urn:camel:group:credentials")) {
            errors.add("property " + name + " in kamelet " + kamelet + " has password format but misses descriptor"
                       + " urn:camel:group:credentials");
        }
    }

    private static void checkDependencies(String kamelet, JsonNode dependencies, String version, List<String> errors) {
        Set<String> all = new HashSet<>();
        dependencies.forEach(d -> {
            String dependency = d.asText();
            all.add(dependency);
            if (!dependency.startsWith("camel:") && !dependency.startsWith("mvn:") && !dependency.startsWith("github:apache/")) {
                errors.add("kamelet " + kamelet + " declares dependency " + dependency + " that is no camel:, mvn: or"
                           + " github:apache/ reference");
            }
            if (dependency.startsWith("mvn:") && !dependency.equals("mvn:io.camelbitrix24:camel-bitrix24-crm:" + version)) {
                errors.add("kamelet " + kamelet + " names " + dependency + ", not this build");
            }
        });
        if (!all.contains("camel:kamelet")) {
            errors.add("kamelet " + kamelet + " does not declare camel:kamelet");
        }
    }

    private static void collectParameters(JsonNode node, Set<String> used) {
        if (node.isTextual()) {
            Matcher m = PARAMETER.matcher(node.asText());
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        node.forEach(child -> collectParameters(child, used));
    }

    /** The Kamelets in the jar's kamelets/ folder (or the classes folder's), as the build filled them in. */
    private static Map<String, JsonNode> shipped() throws Exception {
        URL folder = Bitrix24KameletCatalogRulesTest.class.getClassLoader().getResource("kamelets");
        Map<String, JsonNode> kamelets = new TreeMap<>();
        boolean inJar = "jar".equals(folder.toURI().getScheme());
        try (java.nio.file.FileSystem jar = inJar ? java.nio.file.FileSystems.newFileSystem(folder.toURI(), Map.of()) : null;
             Stream<Path> files = Files.list(inJar ? jar.getPath("/kamelets") : Path.of(folder.toURI()))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".kamelet.yaml")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    kamelets.put(file.getFileName().toString(), YAML.readTree(in));
                }
            }
        }
        return kamelets;
    }
}
