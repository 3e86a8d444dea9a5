package io.camelbitrix24.crm;

import java.security.NoSuchAlgorithmException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.AsyncEndpoint;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * Deletes Bitrix24 CRM records: leads, contacts, and the contacts bound to a lead.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "bitrix24-crm", title = "Bitrix24 CRM",
             syntax = "bitrix24-crm:entity/operation", producerOnly = true, category = { Category.SAAS, Category.CLOUD },
             headersClass = Bitrix24CrmConstants.class)
public class Bitrix24CrmEndpoint extends DefaultEndpoint implements AsyncEndpoint {

    @UriPath(enums = "lead,contact,lead-contact", description = "The CRM entity: lead, contact, or lead-contact (the"
                                                                 + " contacts bound to a lead).")
    @Metadata(required = true)
    private String entity;

    @UriPath(enums = "delete,items-delete",
             description = "The operation. The four endpoints: lead/delete (crm.lead.delete, or crm.item.delete with"
                           + " entityTypeId 1), contact/delete (crm.contact.delete, or crm.item.delete with entityTypeId"
                           + " 3), lead-contact/delete (crm.lead.contact.delete: unbind one contact from a lead) and"
                           + " lead-contact/items-delete (crm.lead.contact.items.delete: unbind every contact of a lead).")
    @Metadata(required = true)
    private String operation;

    @UriParam
    private Bitrix24CrmConfiguration configuration;

    private Bitrix24CrmOperation crmOperation;
    private ObjectMapper objectMapper;
    private HttpTransport transport;
    private Bitrix24RequestBuilder requestBuilder;
    // checked when the endpoint is made, used when it starts
    private HttpProxy proxy;
    private Bitrix24CallRunner runner;
    private Executor completionExecutor;

    public Bitrix24CrmEndpoint(String uri, Bitrix24CrmComponent component, Bitrix24CrmConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        return new Bitrix24CrmProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("bitrix24-crm endpoints only send: there is no consumer");
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        crmOperation = Bitrix24CrmOperation.of(entity, operation);
        // what producers read when they are made, which may be before this endpoint starts
        objectMapper = new ObjectMapper();
        requestBuilder = new Bitrix24RequestBuilder(objectMapper, configuration.isUseItemApi());
        Bitrix24Credentials.validate(configuration);
        requireRange("batchSize", configuration.getBatchSize(), 1, 50);
        requireRange("rateLimitBurst", configuration.getRateLimitBurst(), 1, Integer.MAX_VALUE);
        requireRange("maxRetries", configuration.getMaxRetries(), 0, 100);
        requireRange("connectTimeout", configuration.getConnectTimeout(), 1, Integer.MAX_VALUE);
        requireRange("responseTimeout", configuration.getResponseTimeout(), 1, Integer.MAX_VALUE);
        requireRange("maxResponseSize", configuration.getMaxResponseSize(), 1024, Integer.MAX_VALUE);
        requireRange("maxConnections", configuration.getMaxConnections(), 1, 1024);
        proxy = HttpProxy.of(configuration);
        if (configuration.getRateLimitPerSecond() < 0) {
            throw new IllegalArgumentException("rateLimitPerSecond must be 0 (off) or more, was "
                                               + configuration.getRateLimitPerSecond());
        }
    }

    private static void requireRange(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be from " + min + " to " + max + ", was " + value);
        }
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        Bitrix24SharedResources shared = ((Bitrix24CrmComponent) getComponent()).sharedResources();
        SSLContextParameters tls = sslContextParameters();
        transport = shared.acquireTransport(Bitrix24SharedResources.TransportKey.of(configuration, tls, proxy),
                () -> new HttpTransport(new HttpTransport.Settings(
                        sslContext(tls), configuration.getConnectTimeout(), configuration.getResponseTimeout(),
                        configuration.getMaxResponseSize(), Bitrix24CrmVersion.userAgent(configuration.getUserAgent()),
                        configuration.getMaxConnections(), proxy)));
        // the user's limiter (rateLimiter=#bean), else the component's own for this portal
        Bitrix24Limiter limiter = configuration.getRateLimiter() != null ? configuration.getRateLimiter()
                : shared.limiter(getPortalAddress(), configuration.getRateLimitBurst(), configuration.getRateLimitPerSecond());
        Bitrix24RetryPolicy retryPolicy = new Bitrix24RetryPolicy(configuration.getMaxRetries(),
                configuration.getRetryDelay(), configuration.getMaxRetryDelay(), configuration.getRetryTimeout(),
                (long) configuration.getConnectTimeout() + configuration.getResponseTimeout(), System::currentTimeMillis,
                bound -> ThreadLocalRandom.current().nextLong(bound + 1));
        Bitrix24Client client = Bitrix24Credentials.createClient(configuration, transport, objectMapper, limiter);
        runner = new Bitrix24CallRunner(client, retryPolicy, requestBuilder, shared.scheduler());
        Bitrix24CrmComponent component = (Bitrix24CrmComponent) getComponent();
        if (component.isHealthCheckProducerEnabled()) {
            String portal = getPortalAddress();
            shared.registerHealthCheck(portal, () -> new Bitrix24PortalHealthCheck(portal, client, objectMapper,
                    (long) configuration.getConnectTimeout() + configuration.getResponseTimeout(),
                    System::currentTimeMillis));
        }
        completionExecutor = configuration.isIoThreadCompletion() ? Runnable::run : shared.completionExecutor();
    }

    @Override
    protected void doStop() throws Exception {
        if (transport != null) {
            ((Bitrix24CrmComponent) getComponent()).sharedResources().releaseTransport(transport);
            transport = null;
        }
        super.doStop();
    }

    private SSLContext sslContext(SSLContextParameters parameters) throws Exception {
        if (parameters != null) {
            return parameters.createSSLContext(getCamelContext());
        }
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context in this JVM", e);
        }
    }

    /** The endpoint's own TLS settings, else the context's global ones when the component is told to use them. */
    private SSLContextParameters sslContextParameters() {
        if (configuration.getSslContextParameters() != null) {
            return configuration.getSslContextParameters();
        }
        Bitrix24CrmComponent component = (Bitrix24CrmComponent) getComponent();
        if (!component.isUseGlobalSslContextParameters()) {
            return null;
        }
        SSLContextParameters global = component.retrieveGlobalSslContextParameters();
        if (global == null) {
            throw new IllegalArgumentException("useGlobalSslContextParameters is set, but the CamelContext has no global"
                                               + " TLS settings: set camel.ssl.enabled=true and camel.ssl.trustStore (Camel"
                                               + " Main), or the context's SSLContextParameters");
        }
        return global;
    }

    /**
     * The portal this endpoint talks to, {@code scheme://host:port}, without credentials: for diagnostics and the
     * limiter's key. Read as text, never parsed as a URI, whose errors would quote the whole URL and its secret.
     */
    public String getPortalAddress() {
        return Bitrix24Credentials.limiterKey(configuration).portal();
    }

    public String getEntity() {
        return entity;
    }

    public void setEntity(String entity) {
        this.entity = entity;
    }

    public String getOperation() {
        return operation;
    }

    public void setOperation(String operation) {
        this.operation = operation;
    }

    public Bitrix24CrmConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(Bitrix24CrmConfiguration configuration) {
        this.configuration = configuration;
    }

    Bitrix24CrmOperation getCrmOperation() {
        return crmOperation;
    }

    ObjectMapper getObjectMapper() {
        return objectMapper;
    }

    Bitrix24RequestBuilder getRequestBuilder() {
        return requestBuilder;
    }

    Bitrix24CallRunner getRunner() {
        return runner;
    }

    Executor getCompletionExecutor() {
        return completionExecutor;
    }
}
