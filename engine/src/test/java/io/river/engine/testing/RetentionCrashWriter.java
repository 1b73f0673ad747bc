package io.river.engine.testing;

import io.river.engine.RiverEngine;
import io.river.engine.model.Row;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableRetention;
import io.river.engine.model.WriteBatch;
import io.river.engine.scan.TableSnapshot;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/**
 * Child-process body for the retention kill point: {@link CrashWriter}'s workload and model on table
 * {@code c} (same keys, values and {@code ACK <seq>} lines), and with each batch rows of table
 * {@link #EXPIRED} whose ingestion time lies in 1970, under a one-hour retention, so they are expired
 * from the start. Every {@link #DROP_EVERY} batches it flushes, pins a snapshot of the expired table
 * (so the files it lists stay on disk), runs a retention pass (the drop edit is durable in the
 * manifest) and prints {@code PHASE retention-drop}; then it waits to be killed, leaving the crash
 * window between the drop edit and the deletion of the dropped files. Arguments: data dir, first
 * seq, compaction style.
 */
public final class RetentionCrashWriter {
    /** The table whose rows are all expired. */
    public static final String EXPIRED = "old";

    static final int DROP_EVERY = 150;
    private static final int EXPIRED_ROWS_PER_BATCH = 20;

    private RetentionCrashWriter() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long startSeq = Long.parseLong(args[1]);
        String style = args.length > 2 ? args[2] : "leveled";
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
        try (RiverEngine engine = EngineTestUtils.openSmall(
                dir,
                "river.memtable.max.bytes=64k",
                "river.compaction.style=" + style,
                "river.l0.compaction.trigger=2",
                "river.checkpoint.interval.ms=300",
                "river.retention.check.interval.ms=0")) {
            engine.createTable("c", TableMode.UPSERT);
            engine.createTable(EXPIRED, TableMode.APPEND, new TableRetention(3_600_000L, null));
            out.println("READY");
            for (long seq = startSeq; ; seq++) {
                WriteBatch.Builder b = WriteBatch.builder();
                b.add(
                        "c",
                        Row.builder(CrashWriter.key(seq % CrashWriter.KEYS))
                                .set("_key", CrashWriter.key(seq % CrashWriter.KEYS))
                                .set("v", seq)
                                .build());
                if (seq % 5 == 0) {
                    b.add("c", Row.tombstone(CrashWriter.key((seq * 7) % CrashWriter.KEYS)));
                }
                for (int i = 0; i < EXPIRED_ROWS_PER_BATCH; i++) {
                    b.add(
                            EXPIRED,
                            Row.builder(String.format("%012d/%03d", seq, i))
                                    .set("v", seq)
                                    .set(SystemColumns.INGESTED_AT, Instant.ofEpochMilli(seq))
                                    .build());
                }
                engine.write(b.build());
                out.println("ACK " + seq);
                if ((seq + 1) % DROP_EVERY == 0) {
                    engine.flush();
                    TableSnapshot pinned = engine.table(EXPIRED).orElseThrow().snapshot();
                    int dropped = engine.enforceRetention();
                    out.println("DROPPED " + dropped);
                    out.println("PHASE retention-drop");
                    new CountDownLatch(1).await(); // killed here; the pinned files are still on disk
                    pinned.close();
                }
            }
        }
    }
}
