package io.camelbitrix24.examples.springboot;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Spring Boot example as the README's command runs it: it deletes leads 1 to 3 and stops by itself. */
class SpringBootExampleTest {

    @Test
    @Timeout(60)
    void deletesThreeLeadsInOneBatchAndStops() {
        assertEquals(List.of(4, 5), SpringBootExample.run());
    }
}
