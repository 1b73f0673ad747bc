package io.river.engine.testing;

import io.river.engine.RiverEngine;
import io.river.engine.model.Row;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableRetention;
import io.river.engine.model.WriteBatch;
import io.river.engine.scan.TableSnapshot;
import java.io.PrintStream;
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
        long startSeq = Long.parseLong(args[1]);
        PrintStream out = CrashWriter.stdout();
        try (RiverEngine engine = CrashWriter.openBusy(args, "river.retention.check.interval.ms=0")) {
            engine.createTable("c", TableMode.UPSERT);
            engine.createTable(EXPIRED, TableMode.APPEND, new TableRetention(3_600_000L, null));
            out.println("READY");
            for (long seq = startSeq; ; seq++) {
                WriteBatch.Builder b = CrashWriter.batch(seq, null);
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
