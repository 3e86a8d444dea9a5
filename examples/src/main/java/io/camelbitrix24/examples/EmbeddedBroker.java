package io.camelbitrix24.examples;

import java.util.ArrayList;
import java.util.List;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * An Apache ActiveMQ Artemis broker in this JVM (nothing on disk), for the queue example: in-VM, and on a loopback TCP
 * port when another JVM (the example run on its own) connects to it.
 */
public final class EmbeddedBroker implements AutoCloseable {

    /** A message left on a queue: its body and the reason the example gave for it. */
    public record DeadLetter(String body, String failure) {
    }

    /** Where the broker keeps a message it delivered 10 times without success. */
    public static final String UNDELIVERABLE = "DLQ";

    private final EmbeddedActiveMQ server = new EmbeddedActiveMQ();
    private final ActiveMQConnectionFactory connectionFactory;

    public EmbeddedBroker(int serverId) throws Exception {
        this(serverId, 0);
    }

    /** With {@code tcpPort} above 0, also listening on {@code tcp://127.0.0.1:tcpPort}. */
    public EmbeddedBroker(int serverId, int tcpPort) throws Exception {
        ConfigurationImpl configuration = new ConfigurationImpl();
        configuration.setPersistenceEnabled(false).setSecurityEnabled(false)
                .addAcceptorConfiguration("in-vm", "vm://" + serverId);
        if (tcpPort > 0) {
            configuration.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + tcpPort);
        }
        // a message delivered 10 times without success is kept on DLQ, not dropped (the broker's default without it)
        configuration.addAddressSetting("#", new AddressSettings().setDeadLetterAddress(SimpleString.of(UNDELIVERABLE))
                .setAutoCreateDeadLetterResources(true));
        server.setConfiguration(configuration);
        server.start();
        connectionFactory = new ActiveMQConnectionFactory("vm://" + serverId);
        // no prefetch: each of the queue example's consumers takes one message at a time (see QueueApp)
        connectionFactory.setConsumerWindowSize(0);
    }

    /** Messages waiting on a queue, delivered ones not yet acknowledged included. */
    public long messageCount(String queue) {
        var found = server.getActiveMQServer().locateQueue(queue);
        return found == null ? 0 : found.getMessageCount();
    }

    public ConnectionFactory connectionFactory() {
        return connectionFactory;
    }

    /** Takes every message from {@code queue}, waiting up to half a second for each. */
    public List<DeadLetter> drain(String queue) throws Exception {
        List<DeadLetter> messages = new ArrayList<>();
        try (JMSContext context = connectionFactory.createContext();
             JMSConsumer consumer = context.createConsumer(context.createQueue(queue))) {
            for (Message message = consumer.receive(500); message != null; message = consumer.receive(500)) {
                messages.add(new DeadLetter(message.getBody(String.class), message.getStringProperty(QueueRoutes.FAILURE)));
            }
        }
        return messages;
    }

    @Override
    public void close() throws Exception {
        connectionFactory.close();
        server.stop();
    }
}
