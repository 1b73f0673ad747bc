package io.river.http;

import io.river.engine.model.SourcePartition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The server-mode positions of the sink protocol: per <em>scope</em> (a connector's name, so two
 * connectors reading one topic never share positions) and per (topic, partition), the next offset
 * to store and the claim epoch. Both live in the engine's source positions, which are written
 * atomically with the rows of a WAL entry and only ever grow, under two streams spelled here and
 * nowhere else: {@code <scope>/<topic>} holds the next offset and {@code <scope>/<topic>#epoch}
 * the epoch (a Kafka topic name has neither {@code /} nor {@code #}, so the last {@code /} splits
 * scope from topic).
 *
 * <p>Also the locks that make "check positions, then append" atomic per partition: a request
 * locks the stripes of every partition it names, in stripe order, and holds them across its check
 * and its engine write, so a zombie's request and the new owner's (or a retry and its original)
 * are ordered and the second sees what the first stored. Thread-safe.
 */
final class ServerPositions {
    static final String EPOCH_SUFFIX = "#epoch";
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final int STRIPES = 256;

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    ServerPositions() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** A (topic, partition) of a scope's source. */
    record Partition(String topic, int partition) implements Comparable<Partition> {
        @Override
        public int compareTo(Partition o) {
            int c = topic.compareTo(o.topic);
            return c != 0 ? c : Integer.compare(partition, o.partition);
        }

        @Override
        public String toString() {
            return topic + "-" + partition;
        }
    }

    /**
     * A partition's stored state: next offset (null when nothing was stored yet) and claim epoch (0: never claimed).
     */
    record State(Partition partition, Long next, long epoch) {}

    /** The scope query parameter: non-empty, printable, at most 249 characters. */
    static String checkScope(String scope) {
        if (scope == null || scope.isEmpty()) {
            throw ApiException.badRequest(
                    "missing_scope", "query parameter 'scope' (the connector's name) is required");
        }
        if (scope.length() > 249 || scope.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            throw ApiException.badRequest(
                    "invalid_scope", "scope '" + RequestLimits.clip(scope) + "' must be 1 to 249 printable characters");
        }
        return scope;
    }

    static Partition partition(String topic, long partition) {
        if (topic == null || !TOPIC.matcher(topic).matches()) {
            throw ApiException.badRequest(
                    "invalid_topic",
                    "topic '" + RequestLimits.clip(String.valueOf(topic))
                            + "' is not a Kafka topic name ([A-Za-z0-9._-]{1,249})");
        }
        if (partition < 0 || partition > Integer.MAX_VALUE) {
            throw ApiException.badRequest(
                    "invalid_partition",
                    "partition " + partition + " of topic '" + topic + "' must be a non-negative 32-bit integer");
        }
        return new Partition(topic, (int) partition);
    }

    static SourcePartition offsetKey(String scope, Partition p) {
        return new SourcePartition(scope + "/" + p.topic(), p.partition());
    }

    static SourcePartition epochKey(String scope, Partition p) {
        return new SourcePartition(scope + "/" + p.topic() + EPOCH_SUFFIX, p.partition());
    }

    /** The stored state of one partition in a positions map (applied or durable). */
    static State state(Map<SourcePartition, Long> positions, String scope, Partition p) {
        Long epoch = positions.get(epochKey(scope, p));
        return new State(p, positions.get(offsetKey(scope, p)), epoch == null ? 0 : epoch);
    }

    /** Every partition of a scope in a positions map, in (topic, partition) order. */
    static List<State> scope(Map<SourcePartition, Long> positions, String scope) {
        String prefix = scope + "/";
        Map<Partition, Long> next = new TreeMap<>();
        Map<Partition, Long> epochs = new TreeMap<>();
        for (Map.Entry<SourcePartition, Long> e : positions.entrySet()) {
            String stream = e.getKey().stream();
            int slash = stream.lastIndexOf('/');
            if (slash != prefix.length() - 1 || !stream.startsWith(prefix)) {
                continue;
            }
            String topic = stream.substring(prefix.length());
            if (topic.endsWith(EPOCH_SUFFIX)) {
                epochs.put(
                        new Partition(
                                topic.substring(0, topic.length() - EPOCH_SUFFIX.length()),
                                e.getKey().partition()),
                        e.getValue());
            } else {
                next.put(new Partition(topic, e.getKey().partition()), e.getValue());
            }
        }
        TreeMap<Partition, State> out = new TreeMap<>();
        next.forEach((p, n) -> out.put(p, new State(p, n, epochs.getOrDefault(p, 0L))));
        epochs.forEach((p, ep) -> out.putIfAbsent(p, new State(p, null, ep)));
        return new ArrayList<>(out.values());
    }

    /** Locks every partition's stripe (in stripe order, so two requests never deadlock); close to unlock. */
    Held lock(String scope, Collection<Partition> partitions) {
        int[] ids = partitions.stream()
                .mapToInt(p -> stripe(scope, p))
                .distinct()
                .sorted()
                .toArray();
        int locked = 0;
        try {
            for (int id : ids) {
                stripes[id].lockInterruptibly();
                locked++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unlock(ids, locked);
            throw new ApiException(503, "interrupted", "River is shutting down; retry");
        }
        return () -> unlock(ids, ids.length);
    }

    private void unlock(int[] ids, int count) {
        for (int i = count - 1; i >= 0; i--) {
            stripes[ids[i]].unlock();
        }
    }

    private static int stripe(String scope, Partition p) {
        int h = Arrays.hashCode(new Object[] {scope, p.topic(), p.partition()});
        return Math.floorMod(h ^ (h >>> 16), STRIPES);
    }

    /** Held stripes; closing releases them. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }
}
