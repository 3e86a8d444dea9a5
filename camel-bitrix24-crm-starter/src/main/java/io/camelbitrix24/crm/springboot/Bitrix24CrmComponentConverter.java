package io.camelbitrix24.crm.springboot;

import java.util.Set;

import io.camelbitrix24.crm.Bitrix24CrmConfiguration;
import io.camelbitrix24.crm.spi.Bitrix24Limiter;
import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;
import io.camelbitrix24.crm.spi.Bitrix24TokenStore;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.GenericConverter;

/**
 * Lets {@code camel.component.bitrix24-crm.*} name a bean for an option whose value is an object, as Camel's own
 * starters do: {@code portal-registry=#portals} or {@code #bean:portals} is the application context's bean
 * {@code portals}. Without it Spring Boot cannot bind such a property and the application fails to start.
 */
@Configuration(proxyBeanMethods = false)
@ConfigurationPropertiesBinding
public class Bitrix24CrmComponentConverter implements GenericConverter {

    private static final Set<Class<?>> BEAN_OPTIONS = Set.of(Bitrix24PortalRegistry.class, Bitrix24TokenStore.class,
            Bitrix24Limiter.class, SSLContextParameters.class, Bitrix24CrmConfiguration.class);

    private final ApplicationContext applicationContext;

    public Bitrix24CrmComponentConverter(ApplicationContext applicationContext) {
        this.applicationContext = applicationContext;
    }

    @Override
    public Set<ConvertiblePair> getConvertibleTypes() {
        return Set.of(BEAN_OPTIONS.stream().map(type -> new ConvertiblePair(String.class, type))
                .toArray(ConvertiblePair[]::new));
    }

    @Override
    public Object convert(Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
        if (source == null || !source.toString().startsWith("#")) {
            return null;
        }
        String ref = source.toString();
        String name = ref.startsWith("#bean:") ? ref.substring("#bean:".length()) : ref.substring(1);
        return applicationContext.getBean(name, targetType.getType());
    }
}
