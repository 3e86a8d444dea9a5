package io.camelbitrix24.crm.springboot;

import io.camelbitrix24.crm.Bitrix24CrmComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.spring.boot.ComponentConfigurationProperties;
import org.apache.camel.spring.boot.util.CamelPropertiesHelper;
import org.apache.camel.spring.boot.util.ConditionalOnCamelContextAndAutoConfigurationBeans;
import org.apache.camel.spring.boot.util.ConditionalOnHierarchicalProperties;
import org.apache.camel.spring.boot.util.HierarchicalPropertiesEvaluator;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigureAfter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * Configures the bitrix24-crm component from {@code camel.component.bitrix24-crm.*}, as Camel's own starters do: a
 * {@link ComponentCustomizer} copies the options onto the component when Camel creates it.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(ConditionalOnCamelContextAndAutoConfigurationBeans.class)
@AutoConfigureAfter(CamelAutoConfiguration.class)
@EnableConfigurationProperties({ ComponentConfigurationProperties.class, Bitrix24CrmComponentConfiguration.class })
@ConditionalOnHierarchicalProperties({ "camel.component", "camel.component.bitrix24-crm" })
public class Bitrix24CrmComponentAutoConfiguration {

    private final ApplicationContext applicationContext;
    private final CamelContext camelContext;
    private final Bitrix24CrmComponentConfiguration configuration;

    public Bitrix24CrmComponentAutoConfiguration(ApplicationContext applicationContext, CamelContext camelContext,
                                                 Bitrix24CrmComponentConfiguration configuration) {
        this.applicationContext = applicationContext;
        this.camelContext = camelContext;
        this.configuration = configuration;
    }

    @Lazy
    @Bean
    public ComponentCustomizer configureBitrix24CrmComponent() {
        return new ComponentCustomizer() {
            @Override
            public void configure(String name, Component target) {
                CamelPropertiesHelper.copyProperties(camelContext, configuration, target);
            }

            @Override
            public boolean isEnabled(String name, Component target) {
                return HierarchicalPropertiesEvaluator.evaluate(applicationContext, "camel.component.customizer",
                        "camel.component.bitrix24-crm.customizer") && target instanceof Bitrix24CrmComponent;
            }
        };
    }

    /**
     * Keeps the component's secrets out of Actuator's {@code configprops} and {@code env} output even where values are
     * shown: Spring Boot masks keys like "password" or "token", not {@code webhook-url}, whose path holds the secret,
     * nor an environment variable of any name that holds a webhook URL.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(SanitizingFunction.class)
    static class Secrets {

        @Bean
        SanitizingFunction bitrix24CrmSecretsSanitizer() {
            return data -> Bitrix24CrmSecrets.isSecret(data.getKey(), data.getValue()) ? data.withSanitizedValue() : data;
        }
    }
}
