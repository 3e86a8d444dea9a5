package io.camelbitrix24.crm;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Karaf: the OSGi manifest the build writes (imports Camel of this line, embeds nothing, exports the API only) and the
 * features repository (the feature pulls Camel's own Karaf features that provide every imported package).
 */
class Bitrix24OsgiBundleTest {

    private static final Path CLASSES = Path.of("target/classes");
    private static final String VERSION = System.getProperty("project.version", "0.1.0-SNAPSHOT");
    private static final String CAMEL_VERSION = System.getProperty("camel.version", "4.18.0");

    private static Attributes manifest() throws Exception {
        try (InputStream in = Files.newInputStream(CLASSES.resolve("META-INF/MANIFEST.MF"))) {
            return new Manifest(in).getMainAttributes();
        }
    }

    /** Package clauses of an OSGi header: name, then its attributes as written. */
    static Map<String, String> clauses(String header) {
        Map<String, String> clauses = new LinkedHashMap<>();
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        for (String p : parts) {
            int semicolon = p.indexOf(';');
            clauses.put(semicolon < 0 ? p.trim() : p.substring(0, semicolon).trim(),
                    semicolon < 0 ? "" : p.substring(semicolon + 1));
        }
        return clauses;
    }

    @Test
    void theJarIsABundleThatImportsCamelOfThisLineAndExportsOnlyItsApi() throws Exception {
        Attributes manifest = manifest();
        String osgiVersion = VERSION.replace('-', '.');
        assertEquals("2", manifest.getValue("Bundle-ManifestVersion"));
        assertEquals("io.camelbitrix24.camel-bitrix24-crm", manifest.getValue("Bundle-SymbolicName"));
        assertEquals(osgiVersion, manifest.getValue("Bundle-Version"));

        Map<String, String> exports = clauses(manifest.getValue("Export-Package"));
        assertEquals(List.of("io.camelbitrix24.crm"), List.copyOf(exports.keySet()), "the API package only");
        assertTrue(exports.get("io.camelbitrix24.crm").contains("version=\"" + osgiVersion + "\""));

        Map<String, String> imports = clauses(manifest.getValue("Import-Package"));
        String[] line = CAMEL_VERSION.split("\\.");
        String camelRange = "version=\"[" + line[0] + "." + line[1] + ",5)\"";
        for (String pkg : List.of("org.apache.camel", "org.apache.camel.spi", "org.apache.camel.support",
                "org.apache.camel.support.component", "com.fasterxml.jackson.databind", "org.apache.hc.core5.http",
                "org.apache.hc.client5.http.ssl", "org.slf4j")) {
            assertTrue(imports.containsKey(pkg), pkg + " is imported: " + imports.keySet());
        }
        imports.forEach((pkg, attributes) -> {
            if (pkg.startsWith("org.apache.camel")) {
                assertTrue(attributes.contains(camelRange), pkg + " imported as " + attributes);
            }
            assertFalse(pkg.startsWith("io.camelbitrix24"), "imports its own package " + pkg);
            assertFalse(attributes.contains("resolution:=optional"), pkg + " must not be optional");
        });
        assertNull(manifest.getValue("Require-Bundle"));
        assertNull(manifest.getValue("Embed-Dependency"));
        String classPath = manifest.getValue("Bundle-ClassPath");
        assertTrue(classPath == null || classPath.equals("."), "nothing embedded: " + classPath);
    }

    @Test
    void theBundleCarriesNoCamelJacksonOrHttpClasses() throws Exception {
        try (Stream<Path> files = Files.walk(CLASSES)) {
            List<String> foreign = files.map(p -> CLASSES.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> p.endsWith(".class") && !p.startsWith("io/camelbitrix24/crm/")).toList();
            assertEquals(List.of(), foreign);
        }
        // Camel's discovery in OSGi finds the component by its service file
        assertTrue(Files.exists(CLASSES.resolve("META-INF/services/org/apache/camel/component/bitrix24-crm")));
    }

    @Test
    void theFeatureNeedsCamelKarafFeaturesThatProvideEveryImport() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document features = factory.newDocumentBuilder().parse(Path.of("target/karaf/features.xml").toFile());
        Element root = features.getDocumentElement();
        assertEquals("features", root.getLocalName());
        assertEquals("http://karaf.apache.org/xmlns/features/v1.6.0", root.getNamespaceURI());
        assertEquals("mvn:org.apache.camel.karaf/apache-camel/" + CAMEL_VERSION + "/xml/features",
                root.getElementsByTagNameNS("*", "repository").item(0).getTextContent().trim());

        Element feature = (Element) root.getElementsByTagNameNS("*", "feature").item(0);
        assertEquals("camel-bitrix24-crm", feature.getAttribute("name"));
        assertEquals(VERSION, feature.getAttribute("version"));
        Map<String, String> needs = new LinkedHashMap<>();
        NodeList inner = feature.getElementsByTagNameNS("*", "feature");
        for (int i = 0; i < inner.getLength(); i++) {
            Element need = (Element) inner.item(i);
            needs.put(need.getTextContent().trim(), need.getAttribute("version"));
        }
        String[] line = CAMEL_VERSION.split("\\.");
        String camelLine = "[" + line[0] + "." + line[1] + "," + line[0] + "." + (Integer.parseInt(line[1]) + 1) + ")";
        assertEquals(Map.of("camel-core", camelLine, "camel-jackson", camelLine, "http-client", "[5.5,6)"), needs);
        NodeList bundles = feature.getElementsByTagNameNS("*", "bundle");
        assertEquals(1, bundles.getLength());
        assertEquals("mvn:io.camelbitrix24/camel-bitrix24-crm/" + VERSION, bundles.item(0).getTextContent().trim());

        // every package the bundle imports comes from one of those features, or from the platform (the JRE; Karaf's
        // pax-logging exports org.slf4j)
        Map<String, String> providers = Map.of("org.apache.camel", "camel-core", "org.slf4j", "platform",
                "com.fasterxml.jackson", "camel-jackson", "org.apache.hc.", "http-client", "javax.", "platform");
        for (String pkg : clauses(manifest().getValue("Import-Package")).keySet()) {
            String provider = providers.entrySet().stream().filter(e -> pkg.startsWith(e.getKey())).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
            assertNotNull(provider, "no feature provides " + pkg);
            assertTrue(provider.equals("platform") || needs.containsKey(provider), pkg + " needs " + provider);
        }
    }
}
