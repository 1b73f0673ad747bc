package io.river.examples;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes {@link OrderEvents} to a topic at a target rate (records per second, swelling and easing
 * by 30% over a minute so the console's chart has something to show), keyed by order id, with the
 * order's time as the record timestamp. Runs until {@link #close()} or until {@code count} records
 * are sent. {@link #run()} belongs to one thread; {@link #close()} and {@link #sent()} may be
 * called from any thread. Usable standalone:
 * <pre>java -cp river-examples.jar:kafka-libs/* io.river.examples.SampleProducer
 *     --bootstrap localhost:9092 [--topic orders] [--rate 2000] [--count N]</pre>
 */
public final class SampleProducer implements Runnable, AutoCloseable {
    private final Producer<String, String> producer;
    private final String topic;
    private final int rate;
    private final long count;
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean stopped;
    private volatile Exception failure;

    public SampleProducer(String bootstrap, String topic, int rate, long count) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "river-sample-producer");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        this.topic = topic;
        this.rate = rate;
        this.count = count;
    }

    /** Records acknowledged by the broker so far. */
    public long sent() {
        return sent.get();
    }

    /** The first send failure, if any (the producer stops at the first one). */
    public Exception failure() {
        return failure;
    }

    @Override
    public void run() {
        long start = System.currentTimeMillis();
        OrderEvents events = new OrderEvents(start, Long.toString(start, 36));
        long startNanos = System.nanoTime();
        double due = 0;
        long queued = 0;
        long lastNanos = startNanos;
        while (!stopped && queued < count && failure == null) {
            long now = System.nanoTime();
            // Target rate with a slow swell: +-30% over a 60 s period.
            double seconds = (now - startNanos) / 1e9;
            due += rate * (1 + 0.3 * Math.sin(2 * Math.PI * seconds / 60)) * (now - lastNanos) / 1e9;
            lastNanos = now;
            while (queued < Math.min(count, (long) due) && !stopped) {
                long ts = System.currentTimeMillis();
                String key = events.nextId();
                producer.send(new ProducerRecord<>(topic, null, ts, key, events.json(ts)), (metadata, e) -> {
                    if (e == null) {
                        sent.incrementAndGet();
                    } else if (failure == null) {
                        failure = e;
                    }
                });
                queued++;
            }
            sleepQuietly(5);
        }
        producer.flush();
    }

    @Override
    public void close() {
        stopped = true;
    }

    /** Closes the Kafka producer (after {@link #run()} returned), waiting up to 10 s for in-flight sends. */
    public void closeProducer() {
        producer.close(java.time.Duration.ofSeconds(10));
    }

    private static void sleepQuietly(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = "localhost:9092";
        String topic = "orders";
        int rate = 2000;
        long count = Long.MAX_VALUE;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--bootstrap":
                    bootstrap = value;
                    i++;
                    break;
                case "--topic":
                    topic = value;
                    i++;
                    break;
                case "--rate":
                    rate = Integer.parseInt(value);
                    i++;
                    break;
                case "--count":
                    count = Long.parseLong(value);
                    i++;
                    break;
                default:
                    System.err.println(
                            "usage: SampleProducer [--bootstrap HOST:PORT] [--topic T] [--rate N] [--count N]");
                    System.exit(2);
            }
        }
        SampleProducer p = new SampleProducer(bootstrap, topic, rate, count);
        Thread main = Thread.currentThread();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            p.close();
                            try {
                                main.join(15_000);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "sample-producer-stop"));
        System.out.printf("producing sample orders to %s on %s at ~%d/s%n", topic, bootstrap, rate);
        p.run();
        p.closeProducer();
        System.out.printf("sent %d orders%n", p.sent());
        if (p.failure() != null) {
            System.err.println("send failed: " + p.failure());
            System.exit(1);
        }
    }
}
