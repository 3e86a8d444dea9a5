package io.camelbitrix24.examples;

import java.util.ArrayList;
import java.util.List;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** An Apache ActiveMQ Artemis broker in this JVM (in-VM transport, nothing on disk), for the queue example. */
public final class EmbeddedBroker implements AutoCloseable {

    /** A message left on a queue: its body and the reason the example gave for it. */
    public record DeadLetter(String body, String failure) {
    }

    private final EmbeddedActiveMQ server = new EmbeddedActiveMQ();
    private final ActiveMQConnectionFactory connectionFactory;

    public EmbeddedBroker(int serverId) throws Exception {
        server.setConfiguration(new ConfigurationImpl()
                .setPersistenceEnabled(false)
                .setSecurityEnabled(false)
                .addAcceptorConfiguration("in-vm", "vm://" + serverId));
        server.start();
        connectionFactory = new ActiveMQConnectionFactory("vm://" + serverId);
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
