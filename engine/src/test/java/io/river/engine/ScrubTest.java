package io.river.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.model.SegmentDamagedException;
import io.river.engine.model.TableMode;
import io.river.engine.scan.Table;
import io.river.engine.testing.EngineTestUtils;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live scrub: it verifies every segment while the engine serves, counts what it read, and a
 * segment damaged on disk behind River's back is found, reported in the stats and marked, so reads
 * that need it fail naming the file, even for blocks still in the block cache.
 */
class ScrubTest {
    @TempDir
    Path dir;

    @Test
    void damageBehindRiversBackIsFoundAndReadsOfItFailNamingTheFile() throws Exception {
        try (RiverEngine engine =
                EngineTestUtils.openSmall(dir, "river.scrub.interval.ms=100", "river.scrub.bytes.per.second=1g")) {
            engine.createTable("t", TableMode.UPSERT);
            for (int i = 0; i < 2_000; i++) {
                EngineTestUtils.put(engine, "t", String.format("k%05d", i), Map.of("v", (long) i));
            }
            engine.flush();
            Table t = engine.table("t").orElseThrow();
            assertEquals(7L, t.get("k00007").orElseThrow().get("v"), "read once: the block is now cached");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> engine.metrics().scrubbedSegments.sum() > 0);
            assertEquals(0, engine.metrics().damagedSegments.sum());

            List<Path> segments = segments(dir.resolve("tables").resolve("t"));
            for (Path segment : segments) {
                flipByteInTheMiddle(segment);
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> engine.metrics().damagedSegments.sum() == segments.size());

            SegmentDamagedException e = assertThrows(SegmentDamagedException.class, () -> t.get("k00007"));
            assertTrue(e.getMessage().contains("is damaged") && e.getMessage().contains(".arrow"), e.getMessage());
            @SuppressWarnings("unchecked")
            Map<String, Object> scrub = (Map<String, Object>) engine.stats().get("scrub");
            assertEquals(segments.size(), ((List<?>) scrub.get("damaged")).size(), scrub.toString());
            assertTrue((Long) scrub.get("passes") > 0, scrub.toString());
        }
    }

    @Test
    void scrubIsOffWithIntervalZero() throws Exception {
        try (RiverEngine engine = EngineTestUtils.openSmall(dir, "river.scrub.interval.ms=0")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> scrub = (Map<String, Object>) engine.stats().get("scrub");
            assertEquals(false, scrub.get("enabled"));
        }
    }

    private static List<Path> segments(Path tableDir) throws Exception {
        try (Stream<Path> files = Files.list(tableDir)) {
            List<Path> segments =
                    files.filter(f -> f.toString().endsWith(".arrow")).toList();
            assertTrue(!segments.isEmpty(), "the flush wrote segments");
            return segments;
        }
    }

    private static void flipByteInTheMiddle(Path file) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long at = ch.size() / 2;
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x5a));
            b.rewind();
            ch.write(b, at);
            ch.force(true);
        }
    }
}
