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
 * Karaf: the OSGi manifest the build writes (imports Camel of both LTS lines, embeds nothing, exports the API only) and
 * the features repository (the feature pulls Camel's own Karaf features that provide every imported package, of either
 * line). Read from the jar when the tests run against a jar built before (CI's second Camel line).
 */
class Bitrix24OsgiBundleTest {

    private static final String VERSION = System.getProperty("project.version", "0.1.0-SNAPSHOT");
    /** The Camel LTS lines users run: the bundle and its feature must take each one's releases. */
    private static final List<String> CAMEL_LINES = List.of("4.18.0", "4.18.4", "4.22.0", "4.22.1");
    /** Versions outside what was proven: before 4.18, and a next major. */
    private static final List<String> NOT_CAMEL_LINES = List.of("4.17.0", "5.0.0");

    static Attributes manifest() throws Exception {
        String jar = System.getProperty("prebuilt.component.jar");
        if (jar != null) {
            try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar)) {
                return file.getManifest().getMainAttributes();
            }
        }
        try (InputStream in = Files.newInputStream(Path.of("target/classes/META-INF/MANIFEST.MF"))) {
            return new Manifest(in).getMainAttributes();
        }
    }

    /** Whether an OSGi version range such as {@code [4.18,5)} holds {@code version}. */
    static boolean inRange(String range, String version) {
        String[] ends = range.substring(1, range.length() - 1).split(",");
        int low = compare(version, ends[0].trim());
        int high = compare(version, ends[1].trim());
        return (range.startsWith("[") ? low >= 0 : low > 0) && (range.endsWith("]") ? high <= 0 : high < 0);
    }

    private static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < 3; i++) {
            int d = Integer.compare(i < x.length ? Integer.parseInt(x[i]) : 0, i < y.length ? Integer.parseInt(y[i]) : 0);
            if (d != 0) {
                return d;
            }
        }
        return 0;
    }

    private static void assertCoversTheCamelLines(String range, String what) {
        for (String version : CAMEL_LINES) {
            assertTrue(inRange(range, version), what + " " + range + " must take Camel " + version);
        }
        for (String version : NOT_CAMEL_LINES) {
            assertFalse(inRange(range, version), what + " " + range + " must not take Camel " + version);
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
    void theJarIsABundleThatImportsCamelOfBothLinesAndExportsOnlyItsApi() throws Exception {
        Attributes manifest = manifest();
        String osgiVersion = VERSION.replace('-', '.');
        assertEquals("2", manifest.getValue("Bundle-ManifestVersion"));
        assertEquals("io.camelbitrix24.camel-bitrix24-crm", manifest.getValue("Bundle-SymbolicName"));
        assertEquals(osgiVersion, manifest.getValue("Bundle-Version"));

        Map<String, String> exports = clauses(manifest.getValue("Export-Package"));
        assertEquals(List.of("io.camelbitrix24.crm", "io.camelbitrix24.crm.spi"), List.copyOf(exports.keySet()).stream()
                .sorted().toList(), "the API packages only: the Camel surface and what users implement");
        for (String exported : exports.keySet()) {
            assertTrue(exports.get(exported).contains("version=\"" + osgiVersion + "\""), exported);
        }

        Map<String, String> imports = clauses(manifest.getValue("Import-Package"));
        for (String pkg : List.of("org.apache.camel", "org.apache.camel.spi", "org.apache.camel.support",
                "org.apache.camel.support.component", "com.fasterxml.jackson.databind", "org.apache.hc.core5.http",
                "org.apache.hc.client5.http.ssl", "org.slf4j")) {
            assertTrue(imports.containsKey(pkg), pkg + " is imported: " + imports.keySet());
        }
        imports.forEach((pkg, attributes) -> {
            if (pkg.startsWith("org.apache.camel")) {
                java.util.regex.Matcher range = java.util.regex.Pattern.compile("version=\"([\\[(][^\"]+[\\])])\"")
                        .matcher(attributes);
                assertTrue(range.find(), pkg + " imported without a version range: " + attributes);
                assertCoversTheCamelLines(range.group(1), pkg + " imported as");
            }
            assertFalse(pkg.startsWith("io.camelbitrix24"), "imports its own package " + pkg);
            // Micrometer alone is optional: without it the bundle records no meters
            assertEquals(pkg.startsWith("io.micrometer"), attributes.contains("resolution:=optional"),
                    pkg + " is optional exactly when it is Micrometer: " + attributes);
        });
        assertNull(manifest.getValue("Require-Bundle"));
        assertNull(manifest.getValue("Embed-Dependency"));
        String classPath = manifest.getValue("Bundle-ClassPath");
        assertTrue(classPath == null || classPath.equals("."), "nothing embedded: " + classPath);
    }

    @Test
    void theBundleCarriesNoCamelJacksonOrHttpClasses() throws Exception {
        String jar = System.getProperty("prebuilt.component.jar");
        try (java.nio.file.FileSystem fs = jar == null ? null : java.nio.file.FileSystems.newFileSystem(Path.of(jar))) {
            Path classes = fs == null ? Path.of("target/classes") : fs.getPath("/");
            try (Stream<Path> files = Files.walk(classes)) {
                List<String> foreign = files.map(p -> classes.relativize(p).toString().replace('\\', '/'))
                        .filter(p -> p.endsWith(".class") && !p.startsWith("io/camelbitrix24/crm/")).toList();
                assertEquals(List.of(), foreign);
            }
            // Camel's discovery in OSGi finds the component by its service file
            assertTrue(Files.exists(classes.resolve("META-INF/services/org/apache/camel/component/bitrix24-crm")));
        }
    }

    @Test
    void theFeatureNeedsCamelKarafFeaturesThatProvideEveryImport() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document features = factory.newDocumentBuilder().parse(Path.of("target/karaf/features.xml").toFile());
        Element root = features.getDocumentElement();
        assertEquals("features", root.getLocalName());
        assertEquals("http://karaf.apache.org/xmlns/features/v1.6.0", root.getNamespaceURI());
        String repository = root.getElementsByTagNameNS("*", "repository").item(0).getTextContent().trim();
        assertTrue(repository.matches("mvn:org\\.apache\\.camel\\.karaf/apache-camel/4\\.18\\.\\d+/xml/features"),
                "Camel's features of the line the bundle is built with: " + repository);

        Element feature = (Element) root.getElementsByTagNameNS("*", "feature").item(0);
        assertEquals("camel-bitrix24-crm", feature.getAttribute("name"));
        assertEquals(VERSION, feature.getAttribute("version"));
        Map<String, String> needs = new LinkedHashMap<>();
        NodeList inner = feature.getElementsByTagNameNS("*", "feature");
        for (int i = 0; i < inner.getLength(); i++) {
            Element need = (Element) inner.item(i);
            needs.put(need.getTextContent().trim(), need.getAttribute("version"));
        }
        assertEquals(List.of("camel-core", "camel-jackson", "http-client"), List.copyOf(needs.keySet()));
        assertCoversTheCamelLines(needs.get("camel-core"), "the camel-core feature");
        assertCoversTheCamelLines(needs.get("camel-jackson"), "the camel-jackson feature");
        // HttpClient 5.5 (Camel 4.18) and 5.6 (Camel 4.22)
        assertTrue(inRange(needs.get("http-client"), "5.5.1") && inRange(needs.get("http-client"), "5.6.3")
                   && !inRange(needs.get("http-client"), "6.0.0"), "http-client " + needs.get("http-client"));
        NodeList bundles = feature.getElementsByTagNameNS("*", "bundle");
        assertEquals(1, bundles.getLength());
        assertEquals("mvn:io.camelbitrix24/camel-bitrix24-crm/" + VERSION, bundles.item(0).getTextContent().trim());

        // every package the bundle imports comes from one of those features, or from the platform (the JRE; Karaf's
        // pax-logging exports org.slf4j)
        Map<String, String> providers = Map.of("org.apache.camel", "camel-core", "org.slf4j", "platform",
                "com.fasterxml.jackson", "camel-jackson", "org.apache.hc.", "http-client", "javax.", "platform");
        for (String pkg : clauses(manifest().getValue("Import-Package")).keySet()) {
            if (pkg.startsWith("io.micrometer")) {
                // optional: a Karaf user installs Micrometer to have meters, no feature of this one needs it
                continue;
            }
            String provider = providers.entrySet().stream().filter(e -> pkg.startsWith(e.getKey())).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
            assertNotNull(provider, "no feature provides " + pkg);
            assertTrue(provider.equals("platform") || needs.containsKey(provider), pkg + " needs " + provider);
        }
    }
}
