package io.camelbitrix24.crm.springboot;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.ApplicationContext;

/**
 * Actuator's health report as JSON, on Spring Boot 3 and 4: Boot 4 moved the health endpoint to its own module and
 * package ({@code org.springframework.boot.health.actuate.endpoint}), so it is found by whichever name the Boot of the
 * test run has.
 */
final class ActuatorHealth {

    private static final String[] ENDPOINTS = {
            "org.springframework.boot.health.actuate.endpoint.HealthEndpoint", // Boot 4
            "org.springframework.boot.actuate.health.HealthEndpoint" }; // Boot 3

    private ActuatorHealth() {
    }

    static String report(ApplicationContext app) throws Exception {
        for (String name : ENDPOINTS) {
            Class<?> endpoint;
            try {
                endpoint = Class.forName(name);
            } catch (ClassNotFoundException e) {
                continue;
            }
            Object health = endpoint.getMethod("health").invoke(app.getBean(endpoint));
            return new ObjectMapper().findAndRegisterModules().writeValueAsString(health);
        }
        throw new IllegalStateException("no Actuator health endpoint on the class path");
    }
}
