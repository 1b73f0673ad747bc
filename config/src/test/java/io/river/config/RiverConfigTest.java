package io.river.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RiverConfigTest {

    @Test
    void defaultsApplyAndRequiredKeyIsEnforced() {
        RiverConfig cfg = RiverConfig.from(Map.of("river.data.dir", "/tmp/x"));
        assertEquals("batch", cfg.get(RiverConfigKeys.WAL_SYNC));
        assertEquals(8080, cfg.get(RiverConfigKeys.HTTP_PORT));
        ConfigException e = assertThrows(ConfigException.class, () -> RiverConfig.from(Map.of()));
        assertEquals("river.data.dir", e.key());
    }

    @Test
    void unknownKeyAndBadValueNameTheKeyAndWhatIsAllowed() {
        ConfigException unknown = assertThrows(
                ConfigException.class,
                () -> RiverConfig.from(Map.of("river.data.dir", "d", "river.wal.synk", "always")));
        assertTrue(unknown.getMessage().contains("river.wal.synk"), unknown.getMessage());
        ConfigException bad = assertThrows(
                ConfigException.class,
                () -> RiverConfig.from(Map.of("river.data.dir", "d", "river.wal.sync", "sometimes")));
        assertTrue(
                bad.getMessage().contains("river.wal.sync") && bad.getMessage().contains("[batch, always, interval]"),
                bad.getMessage());
        ConfigException port = assertThrows(
                ConfigException.class, () -> RiverConfig.from(Map.of("river.data.dir", "d", "river.http.port", "80x")));
        assertTrue(port.getMessage().contains("river.http.port"), port.getMessage());
        ConfigException range = assertThrows(
                ConfigException.class,
                () -> RiverConfig.from(Map.of("river.data.dir", "d", "river.http.port", "70000")));
        assertTrue(range.getMessage().contains("[-1, 65535]"), range.getMessage());
    }

    @Test
    void sizesAcceptSuffixes() {
        RiverConfig cfg = RiverConfig.from(Map.of("river.data.dir", "d", "river.memtable.max.bytes", "8m"));
        assertEquals(8L << 20, cfg.get(RiverConfigKeys.MEMTABLE_MAX_BYTES));
    }

    @Test
    void topicTableMapIsValidated() {
        RiverConfig.from(Map.of("river.data.dir", "d", "river.topic.table.map", "orders.v1:orders, users-x:users"));
        assertThrows(
                ConfigException.class,
                () -> RiverConfig.from(Map.of("river.data.dir", "d", "river.topic.table.map", "a:bad-name")));
    }

    @Test
    void connectorModeSkipsForeignKeysButNotUnknownRiverKeys() {
        RiverConfig.from(Map.of("river.data.dir", "d", "topics", "a", "connector.class", "x"), true);
        assertThrows(
                ConfigException.class, () -> RiverConfig.from(Map.of("river.data.dir", "d", "river.nope", "x"), true));
    }

    @Test
    void loadsFilesAndEnvironmentWithPrecedence(@TempDir Path dir) throws Exception {
        Path props = dir.resolve("river.properties");
        Files.writeString(props, "river.data.dir=/from/file\nriver.wal.sync=always\n");
        Path yaml = dir.resolve("river.yaml");
        Files.writeString(yaml, "river:\n  data:\n    dir: /from/yaml\n  http:\n    port: 9090\n");
        RiverConfig p = ConfigLoader.load(props, Map.of("RIVER_WAL_SYNC", "interval"), Map.of());
        assertEquals("/from/file", p.get(RiverConfigKeys.DATA_DIR));
        assertEquals("interval", p.get(RiverConfigKeys.WAL_SYNC));
        RiverConfig y = ConfigLoader.load(yaml, Map.of(), Map.of("river.http.port", "9191"));
        assertEquals("/from/yaml", y.get(RiverConfigKeys.DATA_DIR));
        assertEquals(9191, y.get(RiverConfigKeys.HTTP_PORT));
    }

    @Test
    void docsListEveryKey() {
        String md = ConfigDocs.markdownTable();
        for (ConfigKey<?> key : RiverConfigKeys.ALL) {
            assertTrue(md.contains("`" + key.name() + "`"), key.name());
        }
    }

    @Test
    void secretsAreMasked() {
        RiverConfig cfg = RiverConfig.from(Map.of("river.data.dir", "d", "river.http.auth.token", "s3cret"));
        assertEquals("[hidden]", cfg.describe().get("river.http.auth.token"));
    }
}
