package io.river.connect;

import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import io.river.engine.model.Names;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps a topic to its River table: an entry of {@code river.topic.table.map} if there is one,
 * else {@code river.table.name.format} with {@code ${topic}} replaced by the topic name
 * sanitized by {@link Names#sanitize} ({@code orders.v1-eu} gives {@code orders_v1_eu}).
 *
 * <p>Also tells whether a table holds one topic only. An append-mode key is
 * {@code partition/offset}, unique within a topic but not across topics, so when several topics
 * may share a table (an explicit map entry, or a format without {@code ${topic}}) the append key
 * is qualified by the topic. Not thread-safe (one per task; caches per topic).
 */
final class TableRouter {
    static final String TOPIC_PLACEHOLDER = "${topic}";

    private final String format;
    private final Map<String, String> explicit;
    private final Map<String, String> cache = new HashMap<>();
    /** The format names each table after its topic. */
    private final boolean formatNamesTopic;

    TableRouter(RiverConfig config) {
        this.format = config.get(RiverConfigKeys.TABLE_NAME_FORMAT);
        this.explicit = parseMap(config.get(RiverConfigKeys.TOPIC_TABLE_MAP));
        this.formatNamesTopic = format.contains(TOPIC_PLACEHOLDER);
    }

    /** The table of a topic; the name is always valid. */
    String table(String topic) {
        return cache.computeIfAbsent(topic, t -> {
            String mapped = explicit.get(t);
            String name = mapped != null ? mapped : format.replace(TOPIC_PLACEHOLDER, Names.sanitize(t));
            return Names.checkTable(name);
        });
    }

    /** True when the table of this topic is named after the topic alone, so it holds no other topic. */
    boolean isTopicExclusive(String topic) {
        return formatNamesTopic && (explicit.isEmpty() || !explicit.containsKey(topic));
    }

    /** Parses {@code topicA:tableX,topicB:tableY} (already checked by the key's validator). */
    static Map<String, String> parseMap(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return map;
        }
        for (String entry : text.split(",")) {
            int colon = entry.indexOf(':');
            map.put(entry.substring(0, colon).trim(), entry.substring(colon + 1).trim());
        }
        return map;
    }
}
