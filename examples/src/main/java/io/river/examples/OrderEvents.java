package io.river.examples;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Realistic sample orders as JSON objects, one per call: {@code order_id, ts} (epoch ms),
 * {@code user_id, city, country, channel, payment, items, amount, status, first_order}. The skew is
 * that of real shops: cities follow a Zipf law (a handful of cities take most orders), users a
 * flatter Zipf over 50,000 ids (some heavy buyers, a long tail), amounts are log-normal per item.
 * The JSON is written by hand (no library), so the producer needs nothing but kafka-clients and
 * runs on a stock Kafka image's class path. Not thread-safe (one instance per producing thread);
 * deterministic for a given seed and sequence of timestamps.
 */
public final class OrderEvents {
    /** City, country (ISO 3166 alpha-2); the order is the Zipf rank: the first is the busiest. */
    static final List<String[]> CITIES = List.of(
            new String[] {"London", "GB"},
            new String[] {"New York", "US"},
            new String[] {"Paris", "FR"},
            new String[] {"Berlin", "DE"},
            new String[] {"Tokyo", "JP"},
            new String[] {"São Paulo", "BR"},
            new String[] {"Madrid", "ES"},
            new String[] {"Toronto", "CA"},
            new String[] {"Sydney", "AU"},
            new String[] {"Amsterdam", "NL"},
            new String[] {"Chicago", "US"},
            new String[] {"Milan", "IT"},
            new String[] {"Munich", "DE"},
            new String[] {"Los Angeles", "US"},
            new String[] {"Barcelona", "ES"},
            new String[] {"Stockholm", "SE"},
            new String[] {"Mumbai", "IN"},
            new String[] {"Seoul", "KR"},
            new String[] {"Mexico City", "MX"},
            new String[] {"Zürich", "CH"},
            new String[] {"Vienna", "AT"},
            new String[] {"Lisbon", "PT"},
            new String[] {"Dublin", "IE"},
            new String[] {"Warsaw", "PL"},
            new String[] {"Singapore", "SG"},
            new String[] {"Osaka", "JP"},
            new String[] {"Lyon", "FR"},
            new String[] {"Manchester", "GB"},
            new String[] {"Austin", "US"},
            new String[] {"Copenhagen", "DK"},
            new String[] {"Oslo", "NO"},
            new String[] {"Helsinki", "FI"},
            new String[] {"Prague", "CZ"},
            new String[] {"Buenos Aires", "AR"},
            new String[] {"Cape Town", "ZA"},
            new String[] {"Auckland", "NZ"},
            new String[] {"Bangalore", "IN"},
            new String[] {"Kraków", "PL"},
            new String[] {"Porto", "PT"},
            new String[] {"Reykjavík", "IS"});

    static final int USERS = 50_000;
    private static final String[] CHANNELS = {"web", "ios", "android", "partner"};
    private static final double[] CHANNEL_WEIGHTS = {0.45, 0.30, 0.20, 0.05};
    private static final String[] PAYMENTS = {"card", "paypal", "apple_pay", "google_pay", "invoice"};
    private static final double[] PAYMENT_WEIGHTS = {0.55, 0.18, 0.14, 0.09, 0.04};

    private final SplittableRandom random;
    private final Zipf cities = new Zipf(CITIES.size(), 1.1);
    private final Zipf users = new Zipf(USERS, 0.8);
    private final String idPrefix;
    private long seq;

    /** {@code idPrefix} keeps order ids unique across runs (e.g. the start time in base 36). */
    public OrderEvents(long seed, String idPrefix) {
        this.random = new SplittableRandom(seed);
        this.idPrefix = idPrefix;
    }

    /** The next order's id (also the record key); call before {@link #json}. */
    public String nextId() {
        return idPrefix + "-" + (++seq);
    }

    /** The order with the id last returned by {@link #nextId}, placed at {@code epochMillis}. */
    public String json(long epochMillis) {
        String[] city = CITIES.get(cities.next(random));
        int user = users.next(random);
        int items = 1 + (int) Math.min(11, -Math.log(1 - random.nextDouble()) * 1.2);
        // Log-normal price per item around 30, a long tail of expensive baskets.
        double perItem = Math.exp(3.2 + 0.75 * gaussian());
        double amount = Math.round(perItem * items * 100) / 100.0;
        double r = random.nextDouble();
        String status = r < 0.94 ? "paid" : r < 0.97 ? "refunded" : "failed";
        StringBuilder b = new StringBuilder(256);
        b.append("{\"order_id\":\"").append(idPrefix).append('-').append(seq).append('"');
        b.append(",\"ts\":").append(epochMillis);
        b.append(",\"user_id\":\"u").append(user).append('"');
        b.append(",\"city\":\"").append(city[0]).append('"');
        b.append(",\"country\":\"").append(city[1]).append('"');
        b.append(",\"channel\":\"").append(pick(CHANNELS, CHANNEL_WEIGHTS)).append('"');
        b.append(",\"payment\":\"").append(pick(PAYMENTS, PAYMENT_WEIGHTS)).append('"');
        b.append(",\"items\":").append(items);
        b.append(",\"amount\":").append(amount);
        b.append(",\"status\":\"").append(status).append('"');
        // Heavy users (low ranks) have ordered before; a new user in the long tail now and then.
        b.append(",\"first_order\":").append(user > 1000 && random.nextDouble() < 0.08);
        return b.append('}').toString();
    }

    private String pick(String[] values, double[] weights) {
        double r = random.nextDouble();
        for (int i = 0; i < values.length - 1; i++) {
            r -= weights[i];
            if (r < 0) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }

    private double gaussian() {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
