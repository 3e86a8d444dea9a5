package io.camelbitrix24.crm.springboot;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The Spring Boot application of the starter's tests: auto-configuration, the starter's among it, and one route from
 * {@code direct:delete} to {@code bitrix24-crm:{{test.delete:lead/delete}}}. No component scan, so that a test's own
 * beans (given with it in {@code classes}) stay that test's.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class DeletingApplication {

    @Bean
    RouteBuilder deleteRoute() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:delete").to("bitrix24-crm:{{test.delete:lead/delete}}");
            }
        };
    }
}
