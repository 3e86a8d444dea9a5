package io.camelbitrix24.examples.manyportals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The many-portals section of docs/authentication.md and the component page show this example as it is: its tagged
 * routes and properties, line for line (the routes without the method's indentation).
 */
class ManyPortalsDocsTest {

    private static final Path ROUTES = Path.of(
            "src/main/java/io/camelbitrix24/examples/manyportals/ManyPortalsRoutes.java");
    private static final Path PROPERTIES = Path.of("src/main/resources/application.properties");

    private static String tagged(Path file, String open, String close) throws IOException {
        String text = Files.readString(file);
        int start = text.indexOf(open);
        int end = text.indexOf(close);
        assertTrue(start >= 0 && end > start, () -> file + " has no " + open + " ... " + close);
        String region = text.substring(text.indexOf('\n', start) + 1, text.lastIndexOf('\n', end) + 1);
        return region.lines().map(line -> line.startsWith("        ") ? line.substring(8) : line)
                .collect(Collectors.joining("\n", "", "\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "../../docs/authentication.md",
                             "../../camel-bitrix24-crm/src/main/docs/bitrix24-crm-component.adoc" })
    void theDocsShowTheExampleAsItIs(String doc) throws IOException {
        String text = Files.readString(Path.of(doc));
        String routes = tagged(ROUTES, "// tag::routes[]", "// end::routes[]");
        String properties = tagged(PROPERTIES, "# tag::properties[]", "# end::properties[]");
        assertTrue(text.contains(routes), () -> doc + " does not show the example's routes as they are:\n" + routes);
        assertTrue(text.contains(properties),
                () -> doc + " does not show the example's properties as they are:\n" + properties);
    }
}
