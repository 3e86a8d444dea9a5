package io.camelbitrix24.examples;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.main.Main;

/**
 * The queue example as an application of its own, against a broker elsewhere:
 * {@code java -Dexample.brokerUrl=tcp://127.0.0.1:61616 -Dexample.queue=bitrix24.lead-deletes
 * -Dcamel.component.bitrix24-crm.webhookUrl=... io.camelbitrix24.examples.QueueApp}. Whatever it had not deleted when
 * it stopped is still on the queue. {@code example.idleSeconds} stops it when idle.
 */
public final class QueueApp {

    private QueueApp() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        try (ActiveMQConnectionFactory broker = new ActiveMQConnectionFactory(
                System.getProperty("example.brokerUrl", "tcp://127.0.0.1:61616"))) {
            // no prefetch: each of the 50 consumers takes one message at a time, so all of them have one in flight (by
            // default the first consumer buffers a megabyte of messages and the others wait)
            broker.setConsumerWindowSize(0);
            main.bind("jms", JmsComponent.jmsComponent(broker));
            main.configure().addRoutesBuilder(new QueueRoutes());
            main.configure().setDurationMaxIdleSeconds(Integer.getInteger("example.idleSeconds", 0));
            main.run(args);
        }
    }
}
