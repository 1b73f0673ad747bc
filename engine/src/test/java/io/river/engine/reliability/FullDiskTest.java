package io.river.engine.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.river.engine.RiverEngine;
import io.river.engine.model.Row;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import io.river.engine.scan.Table;
import io.river.engine.testing.DataDirs;
import io.river.engine.testing.EngineTestUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real full disk, not an injected one: the data directory is a small tmpfs mount, and River writes
 * until the kernel says ENOSPC — in whichever file that happens first (WAL, segment, manifest,
 * checkpoint). The engine must turn it into an IOException naming the cause, keep serving every
 * acknowledged row, never corrupt the store; after the disk grows (a remount) a restart recovers every
 * acknowledged row (the write that failed may or may not be there: it was never acknowledged), writes,
 * flushes and compacts again, and leaves no orphan file. Needs permission to mount (root with
 * CAP_SYS_ADMIN, as on CI); elsewhere the test is skipped with that reason.
 */
class FullDiskTest {
    private static final int KEYS = 3_000;
    private static final int PAYLOAD = 1_000;

    private Path dir;
    private boolean mounted;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        dir = Files.createTempDirectory("river-fulldisk");
        int rc = run("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", dir.toString());
        mounted = rc == 0;
        Assumptions.assumeTrue(
                mounted,
                "cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN); "
                        + "the injected ENOSPC of FaultInjectionTest still runs");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            assertEquals(0, run("umount", dir.toString()), "umount " + dir);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void fillingTheDiskFailsWritesCleanlyAndLosesNothingAcknowledged() throws Exception {
        Random rnd = new Random(42);
        Map<String, String> acked = new HashMap<>();
        Map<String, String> failed = new HashMap<>(); // unacknowledged writes: may or may not survive
        IOException first = null;
        int writes = 0;
        int failures = 0;
        RiverEngine e = EngineTestUtils.openSmall(dir, "river.memtable.max.bytes=512k");
        try {
            e.createTable("t", TableMode.UPSERT);
            Table t = e.table("t").orElseThrow();
            // Write until the disk is full, then keep trying a while: every later write must fail
            // cleanly or succeed; none may corrupt what was acknowledged.
            while (writes < 200_000 && failures < 200) {
                String key = "k" + rnd.nextInt(KEYS);
                String value = payload(rnd);
                writes++;
                try {
                    e.write(WriteBatch.of(
                            "t",
                            Row.builder(key).set("_key", key).set("p", value).build()));
                    acked.put(key, value);
                    failed.remove(key);
                } catch (IOException ex) {
                    failures++;
                    failed.put(key, value);
                    if (first == null) {
                        first = ex;
                    }
                }
            }
            assertNotNull(first, "the 6 MB disk never filled after " + writes + " writes");
            assertTrue(causes(first).contains("No space left on device"), "the error must say why: " + causes(first));
            // Reads still answer, from memtables and segments, with every acknowledged row.
            checkAll(t, acked, failed);
        } finally {
            try {
                e.close();
            } catch (IOException closeFailed) {
                // A full disk may fail the final sync or flush: the LOCK and every buffer are released anyway.
            }
        }
        System.out.printf(
                "FullDiskTest: %d writes, %d acknowledged keys, %d failed writes, first error: %s%n",
                writes, acked.size(), failures, first.getMessage());

        // The disk grows; a restart recovers everything acknowledged, and the store works again.
        assertEquals(0, run("mount", "-o", "remount,size=256m", dir.toString()), "remount");
        try (RiverEngine reopened = EngineTestUtils.openSmall(dir, "river.memtable.max.bytes=512k")) {
            Table t = reopened.table("t").orElseThrow();
            checkAll(t, acked, failed);
            for (int i = 0; i < 3_000; i++) {
                String key = "k" + rnd.nextInt(KEYS);
                String value = payload(rnd);
                reopened.write(WriteBatch.of(
                        "t", Row.builder(key).set("_key", key).set("p", value).build()));
                acked.put(key, value);
                failed.remove(key);
            }
            reopened.flush();
            reopened.compact();
            checkAll(t, acked, failed);
        }
        try (RiverEngine again = EngineTestUtils.openSmall(dir)) {
            checkAll(again.table("t").orElseThrow(), acked, failed);
        }
        DataDirs.assertNoOrphans(dir);
    }

    private static String payload(Random rnd) {
        char[] c = new char[PAYLOAD];
        for (int i = 0; i < c.length; i++) {
            c[i] = (char) ('!' + rnd.nextInt(90));
        }
        return new String(c);
    }

    /** Every acknowledged key holds its value, or the value of a later write that failed. */
    private static void checkAll(Table t, Map<String, String> acked, Map<String, String> failed) {
        for (Map.Entry<String, String> en : acked.entrySet()) {
            Row r = t.get(en.getKey()).orElse(null);
            if (r == null || r.isTombstone()) {
                fail("acknowledged key " + en.getKey() + " is missing");
            }
            Object got = r.get("p");
            if (!en.getValue().equals(got) && !got.equals(failed.get(en.getKey()))) {
                fail("acknowledged key " + en.getKey() + " holds a value that was never written");
            }
        }
    }

    private static String causes(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c).append(" <- ");
        }
        return sb.toString();
    }

    private static int run(String... cmd) throws Exception {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().transferTo(System.out);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException notFound) {
            return -1;
        }
    }
}
