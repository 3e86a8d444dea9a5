package io.camelbitrix24.crm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README and the pages under {@code docs/} link to each other and to the repository's files: every relative link
 * {@code [text](path)} and {@code [text](path#anchor)} names a file or folder that exists, relative to the linking
 * file, and every anchor a heading of its markdown target, as GitHub makes anchors (lower case, spaces to '-',
 * punctuation but '-' and '_' dropped, "-1", "-2", ... for repeated headings). Links in code (fenced blocks, code spans) are text,
 * not links; http(s) and mailto links are not followed.
 */
class Bitrix24DocsLinksTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)(?:\\s+#+)?\\s*$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    @Test
    void everyRelativeLinkOfTheReadmeAndTheDocsResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : pages()) {
            String text = withoutCode(Files.readString(page));
            Matcher link = LINK.matcher(text);
            while (link.find()) {
                String target = link.group(1);
                if (SCHEME.matcher(target).find()) {
                    continue;
                }
                checked++;
                String problem = problem(page, target);
                if (problem != null) {
                    int line = (int) text.substring(0, link.start()).chars().filter(c -> c == '\n').count() + 1;
                    broken.add(ROOT.relativize(page) + ":" + line + ": " + target + ": " + problem);
                }
            }
        }
        assertTrue(checked > 20, "links found: " + checked);
        assertEquals(List.of(), broken, "broken links");
    }

    /** Each page under docs/ has a title and links back to the README, and the README links to each page. */
    @Test
    void theReadmeAndTheDocsPagesLinkToEachOther() throws IOException {
        String readme = withoutCode(Files.readString(ROOT.resolve("README.md")));
        for (Path page : pages().subList(1, pages().size())) {
            String text = Files.readString(page);
            String name = page.getFileName().toString();
            assertTrue(text.startsWith("# "), name + " starts with its title");
            assertTrue(withoutCode(text).contains("](../README.md"), name + " links back to the README");
            assertTrue(readme.contains("](docs/" + name + ")"), "the README links to docs/" + name);
        }
    }

    /** GitHub's anchors, worked out as it does. */
    @Test
    void anchorsAreMadeAsGitHubMakesThem() {
        assertEquals(List.of("run-it-on", "rate-limits-retries-and-batch-mode", "the-emulator",
                "input-output-and-errors", "webhooks-oauth-and-tls", "camelbitrix24crmid-header", "a_b-c",
                "лимиты-запросов", "examples", "examples-1"),
                List.copyOf(anchors("# Run it on...\n## Rate limits, retries and batch mode\n### The emulator\n"
                                    + "# Input, output and errors\n## Webhooks, OAuth and TLS ##\n"
                                    + "## `CamelBitrix24CrmId` header\n## A_B-C\n## Лимиты запросов\n"
                                    + "```bash\n# a comment, not a heading\n```\n## Examples\n## Examples\n")));
    }

    @Test
    void aBrokenLinkOrAnchorIsFound() throws IOException {
        Path readme = ROOT.resolve("README.md");
        assertEquals(null, problem(readme, "docs/releases.md#versions-and-releases"));
        assertEquals(null, problem(readme, "#compatibility"));
        assertEquals(null, problem(readme, "benchmarks/"));
        assertEquals("no such file", problem(readme, "docs/no-such-page.md"));
        assertEquals("no heading makes the anchor #no-such-section",
                problem(readme, "docs/releases.md#no-such-section"));
        assertEquals("no heading makes the anchor #no-such-section", problem(readme, "#no-such-section"));
        assertFalse(withoutCode("`[text](nowhere.md)`").contains("nowhere"), "a link in a code span is text");
    }

    /** Why {@code target}, linked from {@code page}, does not resolve; null when it does. */
    private static String problem(Path page, String target) throws IOException {
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path file = path.isEmpty() ? page
                : path.startsWith("/") ? ROOT.resolve(path.substring(1)) : page.getParent().resolve(path);
        if (!Files.exists(file)) {
            return "no such file";
        }
        if (anchor == null) {
            return null;
        }
        if (!file.toString().endsWith(".md")) {
            return "an anchor in a file that is not markdown";
        }
        return anchors(Files.readString(file)).contains(anchor) ? null : "no heading makes the anchor #" + anchor;
    }

    /** The anchors GitHub makes of a markdown file's headings. */
    private static Set<String> anchors(String markdown) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (FENCE.matcher(line).find()) {
                fenced = !fenced;
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (fenced || !heading.matches()) {
                continue;
            }
            String anchor = heading.group(2).toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "")
                    .replace(' ', '-');
            int times = seen.merge(anchor, 1, Integer::sum);
            anchors.add(times == 1 ? anchor : anchor + "-" + (times - 1));
        }
        return anchors;
    }

    /** The text with fenced blocks and code spans blanked out, each line where it was. */
    private static String withoutCode(String markdown) {
        StringBuilder text = new StringBuilder();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            boolean fence = FENCE.matcher(line).find();
            text.append(fenced || fence ? "" : line).append('\n');
            if (fence) {
                fenced = !fenced;
            }
        }
        Matcher span = Pattern.compile("`[^`]*`").matcher(text);
        StringBuilder out = new StringBuilder();
        while (span.find()) {
            span.appendReplacement(out, Matcher.quoteReplacement(span.group().replaceAll("[^\n]", " ")));
        }
        span.appendTail(out);
        return out.toString();
    }
}
