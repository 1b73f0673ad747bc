package io.river.engine.testing;

import io.river.config.RiverConfig;
import io.river.engine.RiverEngine;
import io.river.engine.model.Row;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Shared helpers for engine tests: configs for a temp directory, opening engines, writing rows. */
public final class EngineTestUtils {
    private EngineTestUtils() {}

    /** A config on {@code dir} with small sizes so that flushes and compactions happen in tests. */
    public static Map<String, String> smallConfig(Path dir) {
        Map<String, String> m = new HashMap<>();
        m.put("river.data.dir", dir.toString());
        m.put("river.memtable.max.bytes", "256k");
        m.put("river.segment.block.rows", "64");
        m.put("river.level.base.bytes", "256k");
        m.put("river.segment.target.bytes", "128k");
        m.put("river.checkpoint.interval.ms", "0");
        m.put("river.flush.interval.ms", "0");
        m.put("river.http.port", "-1");
        return m;
    }

    public static RiverEngine open(Map<String, String> config) throws IOException {
        return RiverEngine.open(RiverConfig.from(config));
    }

    public static RiverEngine openSmall(Path dir, String... overrides) throws IOException {
        Map<String, String> m = smallConfig(dir);
        for (String kv : overrides) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return open(m);
    }

    public static void put(RiverEngine engine, String table, String key, Map<String, Object> values)
            throws IOException {
        Map<String, Object> v = new HashMap<>(values);
        v.putIfAbsent("_key", key);
        engine.write(WriteBatch.of(table, Row.of(key, v)));
    }

    public static void delete(RiverEngine engine, String table, String key) throws IOException {
        engine.write(WriteBatch.of(table, Row.tombstone(key)));
    }

    public static void ensureTable(RiverEngine engine, String table, TableMode mode) throws IOException {
        engine.createTable(table, mode);
    }
}
