package io.camelbitrix24.examples.app;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** Deletes the lead whose id a message carries. */
@SpringBootApplication
public class DeletesApplication {

    public static void main(String[] args) {
        SpringApplication.run(DeletesApplication.class, args);
    }

    @Bean
    RouteBuilder deletes() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:delete").to("bitrix24-crm:lead/delete");
            }
        };
    }
}
