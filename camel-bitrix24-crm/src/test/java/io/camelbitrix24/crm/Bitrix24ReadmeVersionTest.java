package io.camelbitrix24.crm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What users copy names the project's version: every version of one of our artifacts in the README's, the docs/ pages'
 * and the component page's snippets, the BOM's own version and the user-shaped Spring Boot application's. The README
 * names it once (the BOM snippet); every other snippet of the README and of docs/ takes it from the BOM.
 */
class Bitrix24ReadmeVersionTest {

    private static final String VERSION = System.getProperty("project.version", "0.1.0-SNAPSHOT");
    private static final Path ROOT = Path.of("..");
    // <groupId>io.camelbitrix24</groupId> <artifactId>...</artifactId> <version>X</version>, in a snippet
    private static final Pattern XML = Pattern.compile(
            "<groupId>io\\.camelbitrix24</groupId>\\s*<artifactId>([^<]+)</artifactId>\\s*<version>([^<]+)</version>");
    // mvn:io.camelbitrix24/artifact/X and io.camelbitrix24:artifact:X
    private static final Pattern COORDINATES = Pattern.compile("io\\.camelbitrix24[/:]([a-z0-9-]+)[/:](\\d[^/:\\s`\"]*)");
    // bitrix24-emulator-X-standalone.jar and the like
    private static final Pattern FILE = Pattern.compile("(?:camel-bitrix24-crm|bitrix24-emulator)[a-z-]*-(\\d+\\.\\d+\\.\\d+[^/\\s`]*?)(?:-standalone)?\\.jar");

    private static List<String> versionsIn(String text) {
        List<String> found = new ArrayList<>();
        for (Pattern pattern : List.of(XML, COORDINATES)) {
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                found.add(m.group(1) + " " + m.group(2));
            }
        }
        Matcher m = FILE.matcher(text);
        while (m.find()) {
            found.add(m.group() + " " + m.group(1));
        }
        return found;
    }

    private static void assertProjectVersion(List<String> found, String where) {
        for (String artifactAndVersion : found) {
            String version = artifactAndVersion.substring(artifactAndVersion.lastIndexOf(' ') + 1);
            assertEquals(VERSION, version, where + ": " + artifactAndVersion);
        }
    }

    @Test
    void theReadmeNamesTheProjectsVersionOnceInTheBomSnippet() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        List<String> found = versionsIn(readme);
        assertProjectVersion(found, "README.md");
        assertEquals(List.of("camel-bitrix24-crm-bom " + VERSION), found, "the one version the README names");
    }

    @Test
    void theDocsPagesNameNoVersionButTakeItFromTheBom() throws Exception {
        List<Path> pages;
        try (java.util.stream.Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            pages = docs.filter(f -> f.toString().endsWith(".md")).sorted().toList();
        }
        assertFalse(pages.isEmpty(), "docs/*.md");
        for (Path page : pages) {
            assertEquals(List.of(), versionsIn(Files.readString(page)),
                    page + ": the README's BOM snippet names the version");
        }
    }

    @Test
    void theDocsPageSnippetsNameTheProjectsVersion() throws Exception {
        String page = Files.readString(Path.of("src/main/docs/bitrix24-crm-component.adoc"));
        List<String> found = versionsIn(page);
        assertFalse(found.isEmpty(), "the page shows the dependency");
        assertProjectVersion(found, "bitrix24-crm-component.adoc");
    }

    @Test
    void theBomAndTheUsersApplicationFollowTheProjectsVersion() throws Exception {
        String bom = Files.readString(ROOT.resolve("camel-bitrix24-crm-bom/pom.xml")).replaceAll("(?s)<!--.*?-->", "");
        Matcher own = Pattern.compile("<artifactId>camel-bitrix24-crm-bom</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(bom);
        assertTrue(own.find(), "the BOM's version");
        assertEquals(VERSION, own.group(1), "the BOM's version");
        String app = Files.readString(ROOT.resolve("examples/spring-boot-app/pom.xml"));
        Matcher taken = Pattern.compile("<bitrix24-crm.version>([^<]+)</bitrix24-crm.version>").matcher(app);
        assertTrue(taken.find(), "the application names the version it takes");
        assertEquals(VERSION, taken.group(1), "examples/spring-boot-app takes the project's version");
    }
}
