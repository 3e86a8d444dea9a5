package io.camelbitrix24.examples;

import java.nio.file.Path;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.main.Main;

/**
 * The queue example as an application of its own, against a broker elsewhere:
 * {@code java -Dexample.brokerUrl=tcp://127.0.0.1:61616 -Dexample.queue=bitrix24.lead-deletes -Dexample.dir=queue-work
 * -Dcamel.component.bitrix24-crm.webhookUrl=... io.camelbitrix24.examples.QueueApp}. Its batches live in
 * {@code example.dir}, so a restart after a crash finishes them. {@code example.idleSeconds} stops it when idle.
 */
public final class QueueApp {

    private QueueApp() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("example.dir", "queue-work"));
        Main main = new Main();
        try (ActiveMQConnectionFactory broker = new ActiveMQConnectionFactory(
                System.getProperty("example.brokerUrl", "tcp://127.0.0.1:61616"))) {
            main.bind("jms", JmsComponent.jmsComponent(broker));
            main.configure().addRoutesBuilder(new QueueRoutes(BatchStore.open(dir)));
            main.configure().setDurationMaxIdleSeconds(Integer.getInteger("example.idleSeconds", 0));
            main.run(args);
        }
    }
}
