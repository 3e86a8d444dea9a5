package io.camelbitrix24.crm;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.camelbitrix24.crm.internal.call.Operation;
import io.camelbitrix24.crm.internal.metrics.Meters;
import org.apache.camel.Endpoint;
import org.apache.camel.ExtendedCamelContext;
import org.apache.camel.SSLContextParametersAware;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.util.URISupport;

/** The {@code bitrix24-crm} component: holds the shared options and creates one endpoint per entity/operation. */
@Component("bitrix24-crm")
public class Bitrix24CrmComponent extends DefaultComponent implements SSLContextParametersAware {

    /** {@code webhookUrl=...} in an endpoint URI: Camel's own masking does not know the name, and the secret is in the path. */
    private static final Pattern WEBHOOK_URL_OPTION = Pattern.compile(
            "([?&]webhookUrl=)(RAW\\([^)]*\\)|RAW\\{[^}]*\\}|[^&]*)", Pattern.CASE_INSENSITIVE);

    private static final String WEBHOOK_URL = "webhookUrl";

    @Metadata(description = "The options shared by every endpoint of this component.")
    private Bitrix24CrmConfiguration configuration = new Bitrix24CrmConfiguration();

    @Metadata(label = "security", defaultValue = "false",
              description = "Use the CamelContext's global TLS settings (Camel Main's camel.ssl.*) when an endpoint has"
                            + " no sslContextParameters of its own.")
    private boolean useGlobalSslContextParameters;

    @Metadata(label = "health", defaultValue = "true",
              description = "Report each portal's health (it answers, the credentials work, the crm scope is there) as"
                            + " a producer health check. Camel runs producer checks only with"
                            + " camel.health.producersEnabled=true.")
    private boolean healthCheckProducerEnabled = true;

    @Metadata(label = "advanced", defaultValue = "true",
              description = "Record Micrometer meters (bitrix24.crm.calls and the others) to the MeterRegistry in Camel's"
                            + " registry, when Micrometer is on the class path and one is bound (Spring Boot binds its"
                            + " own).")
    private boolean metersEnabled = true;

    @Metadata(label = "advanced",
              description = "The portals whose meters carry a portal tag, comma-separated, as the dev console names"
                            + " them (a host, or a member_id in many-portal mode); the other portals' meters are tagged"
                            + " portal=other. Empty (the default): no portal tag, however many portals are called.")
    private String meterPortals;

    private Bitrix24SharedResources shared;

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        registerSensitiveOptions();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // made and started here, or already by an endpoint started before its component
        sharedResources();
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(shared);
        super.doStop();
    }

    /** The pools, limiters and threads the endpoints share: the component's service, started with it. */
    synchronized Bitrix24SharedResources sharedResources() {
        if (shared == null) {
            shared = new Bitrix24SharedResources(getCamelContext(), this);
            if (metersEnabled) {
                shared.activities().setMeters(Meters.of(getCamelContext(), shared.activities(), taggedPortals()));
            }
        }
        // an endpoint may start before its component when it is made outside a route
        ServiceHelper.startService(shared);
        return shared;
    }

    /**
     * Adds {@code webhookUrl} to the context's sensitive keywords, which Camel does not know: Camel then masks it where it
     * masks passwords (Camel Main's configuration summary, sanitized URIs in its logs). The user's own keywords are kept.
     */
    private void registerSensitiveOptions() {
        ExtendedCamelContext context = getCamelContext().getCamelContextExtension();
        String keywords = context.getAdditionalSensitiveKeywords();
        if (keywords == null || keywords.isBlank()) {
            context.setAdditionalSensitiveKeywords(WEBHOOK_URL);
        } else if (!keywords.toLowerCase(Locale.ROOT).contains(WEBHOOK_URL.toLowerCase(Locale.ROOT))) {
            context.setAdditionalSensitiveKeywords(keywords + "," + WEBHOOK_URL);
        }
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String[] path = remaining.split("/", 2);
        if (path.length != 2) {
            throw new IllegalArgumentException("Invalid bitrix24-crm endpoint '" + remaining
                                               + "': expected entity/operation. Valid endpoints: "
                                               + Operation.validPaths());
        }
        // read once, here: an unknown one fails at endpoint creation, with the list of valid endpoints
        Bitrix24CrmEndpoint endpoint = new Bitrix24CrmEndpoint(maskSecrets(uri), this, configuration.copy(),
                Operation.of(path[0], path[1]));
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** The endpoint URI as Camel shows it (registry, JMX, toString): secrets masked. */
    static String maskSecrets(String uri) {
        Matcher matcher = WEBHOOK_URL_OPTION.matcher(uri);
        return URISupport.sanitizeUri(matcher.replaceAll("$1xxxxxx"));
    }

    @Override
    public boolean isUseGlobalSslContextParameters() {
        return useGlobalSslContextParameters;
    }

    @Override
    public void setUseGlobalSslContextParameters(boolean useGlobalSslContextParameters) {
        this.useGlobalSslContextParameters = useGlobalSslContextParameters;
    }

    public boolean isHealthCheckProducerEnabled() {
        return healthCheckProducerEnabled;
    }

    public void setHealthCheckProducerEnabled(boolean healthCheckProducerEnabled) {
        this.healthCheckProducerEnabled = healthCheckProducerEnabled;
    }

    private Set<String> taggedPortals() {
        if (meterPortals == null || meterPortals.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(meterPortals.split(",")).map(String::strip).filter(p -> !p.isEmpty())
                .collect(Collectors.toSet());
    }

    public boolean isMetersEnabled() {
        return metersEnabled;
    }

    public void setMetersEnabled(boolean metersEnabled) {
        this.metersEnabled = metersEnabled;
    }

    public String getMeterPortals() {
        return meterPortals;
    }

    public void setMeterPortals(String meterPortals) {
        this.meterPortals = meterPortals;
    }

    public Bitrix24CrmConfiguration getConfiguration() {
        return configuration;
    }

    /** The options shared by every endpoint of this component. */
    public void setConfiguration(Bitrix24CrmConfiguration configuration) {
        this.configuration = configuration;
    }
}
