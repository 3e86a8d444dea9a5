package io.camelbitrix24.crm;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelbitrix24.crm.internal.call.Operation;
import io.camelbitrix24.crm.internal.call.RequestBuilder;
import io.camelbitrix24.crm.internal.http.HttpProxy;
import io.camelbitrix24.crm.internal.http.HttpSettings;
import io.camelbitrix24.crm.internal.http.HttpTransport;
import io.camelbitrix24.crm.internal.send.CallRunner;
import io.camelbitrix24.crm.internal.send.PortalFigures;
import io.camelbitrix24.crm.internal.send.RetryPolicy;
import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;
import org.apache.camel.AsyncEndpoint;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * Deletes Bitrix24 CRM records (leads, contacts, deals, companies, quotes, activities, any type through the item API)
 * and the bindings between contacts and leads, deals and companies.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "bitrix24-crm", title = "Bitrix24 CRM",
             syntax = "bitrix24-crm:entity/operation", producerOnly = true, category = { Category.SAAS, Category.CLOUD },
             headersClass = Bitrix24CrmConstants.class)
@ManagedResource(description = "Bitrix24 CRM endpoint: what the calls to its portals are doing")
public class Bitrix24CrmEndpoint extends DefaultEndpoint implements AsyncEndpoint {

    @UriPath(enums = "lead,contact,deal,company,quote,activity,item,lead-contact,deal-contact,company-contact,"
                     + "contact-company,app",
             description = "The CRM entity: a record type (lead, contact, deal, company, quote, activity, or item: any CRM"
                           + " type by its entityTypeId), the bindings of a record (lead-contact, deal-contact,"
                           + " company-contact: its contacts; contact-company: a contact's companies), or app, the"
                           + " application's installation events.")
    @Metadata(required = true)
    private String entity;

    @UriPath(enums = "delete,items-delete,install,uninstall",
             description = "The operation. delete: a record (crm.lead.delete, crm.deal.delete, ...; crm.item.delete with"
                           + " useItemApi or for item), or one binding (crm.deal.contact.delete: unbind one contact from"
                           + " a deal); items-delete: every binding of a record (crm.deal.contact.items.delete); in"
                           + " many-portal mode, app/install (ONAPPINSTALL, verified with app.info, registers the"
                           + " installation) and app/uninstall (ONAPPUNINSTALL, checked by its application_token,"
                           + " removes it).")
    @Metadata(required = true)
    private String operation;

    @UriParam
    private Bitrix24CrmConfiguration configuration;

    @UriParam(label = "producer",
              description = "item/delete only: the entityTypeId of the records to delete (e.g. 2 deals, 31 smart"
                            + " invoices, 1038 a smart process), for exchanges whose CamelBitrix24CrmEntityTypeId header"
                            + " and body name none. A whole number from 1 up.")
    private Integer entityTypeId;

    private Operation crmOperation;
    private Bitrix24AuthMode authMode;
    private ObjectMapper objectMapper;
    private RequestBuilder requestBuilder;
    // checked when the endpoint is made, used when it starts
    private HttpProxy proxy;
    private HttpTransport transport;
    private Bitrix24Wiring wiring;
    private Executor completionExecutor;

    public Bitrix24CrmEndpoint(String uri, Bitrix24CrmComponent component, Bitrix24CrmConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    /** Made by the component, which has read the operation from the URI path already. */
    Bitrix24CrmEndpoint(String uri, Bitrix24CrmComponent component, Bitrix24CrmConfiguration configuration,
                        Operation operation) {
        this(uri, component, configuration);
        this.entity = operation.entity();
        this.operation = operation.operation();
        this.crmOperation = operation;
    }

    public Integer getEntityTypeId() {
        return entityTypeId;
    }

    public void setEntityTypeId(Integer entityTypeId) {
        this.entityTypeId = entityTypeId;
    }

    @Override
    public Bitrix24CrmComponent getComponent() {
        return (Bitrix24CrmComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return crmOperation.isAppEvent() ? new Bitrix24AppEventProducer(this) : new Bitrix24CrmProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("bitrix24-crm endpoints only send: there is no consumer");
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        if (crmOperation == null || !crmOperation.entity().equals(entity) || !crmOperation.operation().equals(operation)) {
            // made without the component's URI parsing, or its path set since
            crmOperation = Operation.of(entity, operation);
        }
        authMode = Bitrix24AuthMode.of(configuration);
        // what producers read when they are made, which may be before this endpoint starts
        objectMapper = new ObjectMapper();
        requestBuilder = new RequestBuilder(objectMapper, configuration.isUseItemApi());
        proxy = Bitrix24EndpointOptions.check(configuration, entityTypeId, crmOperation, authMode);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        Bitrix24SharedResources shared = getComponent().sharedResources();
        SSLContextParameters tls = Bitrix24TlsSettings.parametersOf(configuration, getComponent());
        transport = shared.acquireTransport(Bitrix24SharedResources.TransportKey.of(configuration, tls, proxy),
                () -> HttpTransport.create(new HttpSettings(
                        Bitrix24TlsSettings.contextOf(tls, getCamelContext()), configuration.getConnectTimeout(),
                        configuration.getResponseTimeout(),
                        configuration.getMaxResponseSize(), Bitrix24CrmVersion.userAgent(configuration.getUserAgent()),
                        configuration.getMaxConnections(), configuration.getMaxTotalConnections(), proxy)));
        RetryPolicy retryPolicy = new RetryPolicy(configuration.getMaxRetries(),
                configuration.getRetryDelay(), configuration.getMaxRetryDelay(), configuration.getRetryTimeout(),
                callDeadlineMillis(), System::currentTimeMillis, bound -> ThreadLocalRandom.current().nextLong(bound + 1));
        completionExecutor = configuration.isIoThreadCompletion() ? Runnable::run : shared.completionExecutor();
        Bitrix24WiringContext context = new Bitrix24WiringContext(this, getEndpointUri(), configuration, shared,
                objectMapper, requestBuilder, transport, retryPolicy, callDeadlineMillis(),
                getComponent().isHealthCheckProducerEnabled());
        wiring = authMode == Bitrix24AuthMode.MANY_PORTALS
                ? new Bitrix24ManyPortalWiring(context)
                : new Bitrix24SinglePortalWiring(context, authMode, getPortalAddress());
    }

    /** The longest one call may take: to connect, then to be answered. */
    private long callDeadlineMillis() {
        return (long) configuration.getConnectTimeout() + configuration.getResponseTimeout();
    }

    @Override
    protected void doStop() throws Exception {
        if (wiring != null) {
            wiring.stop();
            wiring = null;
        }
        if (transport != null) {
            getComponent().sharedResources().releaseTransport(transport);
            transport = null;
        }
        super.doStop();
    }

    /**
     * The portal this endpoint talks to, {@code scheme://host:port}, without credentials (null with many portals). Read
     * as text, never parsed as a URI, whose errors would quote the whole URL and its secret.
     */
    public String getPortalAddress() {
        Bitrix24AuthMode mode = authMode != null ? authMode : Bitrix24AuthMode.of(configuration);
        return mode == Bitrix24AuthMode.MANY_PORTALS ? null : Bitrix24Credentials.limiterKey(configuration, mode).portal();
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

    Operation getCrmOperation() {
        return crmOperation;
    }

    ObjectMapper getObjectMapper() {
        return objectMapper;
    }

    RequestBuilder getRequestBuilder() {
        return requestBuilder;
    }

    /** Prepares the way to the portal for the first call: see {@link Bitrix24Wiring#prepare}. */
    void preparePortal() {
        wiring.prepare();
    }

    /** Many-portal mode: where the installations live. */
    Bitrix24PortalRegistry getPortalRegistry() {
        return wiring == null ? null : wiring.registry();
    }

    /** Many-portal mode: the portals this endpoint keeps a way to now (0 otherwise). */
    int portalsKept() {
        return wiring == null ? 0 : wiring.portalsKept();
    }

    HttpTransport getTransport() {
        return transport;
    }

    /** The runner of the portal a call names ({@code portal}: its header): see {@link Bitrix24Wiring#runnerFor}. */
    CompletableFuture<CallRunner> runnerFor(String portal, String method) {
        return wiring.runnerFor(portal, method);
    }

    Executor getCompletionExecutor() {
        return completionExecutor;
    }

    /** The figures of the portals this endpoint calls now (none before it starts). */
    private PortalFigures figures() {
        return wiring == null ? PortalFigures.sum("all", List.of()).figures() : wiring.figures();
    }

    @ManagedAttribute(description = "Calls waiting for their turn now")
    public int getWaiting() {
        return figures().waiting();
    }

    @ManagedAttribute(description = "Requests at the portal now: sent, not yet answered")
    public int getInFlight() {
        return figures().inFlight();
    }

    @ManagedAttribute(description = "HTTP requests sent, a batch call counted once")
    public long getRequests() {
        return figures().requests();
    }

    @ManagedAttribute(description = "Batch calls sent")
    public long getBatchRequests() {
        return figures().batchRequests();
    }

    @ManagedAttribute(description = "QUERY_LIMIT_EXCEEDED and OPERATION_TIME_LIMIT answers received")
    public long getRefusals() {
        return figures().refusals();
    }

    @ManagedAttribute(description = "Calls sent again after a failure")
    public long getRetries() {
        return figures().retries();
    }

    @ManagedAttribute(description = "Seconds until the calls waiting now have left at the bucket's pace; -1 unknown")
    public double getDrainSeconds() {
        Double drain = wiring == null ? Double.valueOf(0) : wiring.drainSeconds();
        return drain == null ? -1 : drain;
    }

    @ManagedAttribute(description = "The bucket: calls in it, its size and rate, e.g. 12.0/50 at 2.0/s")
    public String getBucket() {
        return figures().bucketText();
    }

    @ManagedAttribute(description = "Methods held for spent operating time, and until when")
    public String getHeldMethods() {
        return figures().holdsText();
    }

    @ManagedAttribute(description = "The last failure of a call: its type and message")
    public String getLastError() {
        return figures().lastErrorText();
    }
}
