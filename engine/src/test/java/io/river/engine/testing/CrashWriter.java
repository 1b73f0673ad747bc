package io.river.engine.testing;

import io.river.engine.RiverEngine;
import io.river.engine.model.Row;
import io.river.engine.model.TableColumns;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Child-process body for crash tests: opens an engine on a directory with tiny memtables (so
 * flushes, checkpoints and compactions run all the time) and writes batches of overwrites and
 * deletes forever, printing {@code ACK <seq>} after each batch is acknowledged. The parent kills it
 * with SIGKILL at a random moment and checks that every acknowledged batch survived.
 *
 * <p>Batch {@code seq} writes key {@code k<seq % keys>} with value seq, and deletes key
 * {@code k<(seq * 7) % keys>} when {@code seq % 5 == 0}, so the expected state after any prefix of
 * batches is a pure function of the last acknowledged seq (see {@link #expected}).
 */
public final class CrashWriter {
    public static final int KEYS = 3000;

    private CrashWriter() {}

    public static void main(String[] args) throws Exception {
        long startSeq = Long.parseLong(args[1]);
        PrintStream out = stdout();
        try (RiverEngine engine = openBusy(args, SMALL_FILES)) {
            engine.createTable("c", TableMode.UPSERT);
            out.println("READY");
            Random pad = new Random(startSeq);
            for (long seq = startSeq; ; seq++) {
                engine.write(batch(seq, pad).build());
                out.println("ACK " + seq);
            }
        }
    }

    /** Small segments and WAL files, so levels and WAL rolls change often. */
    static final String[] SMALL_FILES = {
        "river.level.base.bytes=128k", "river.segment.target.bytes=64k", "river.wal.file.max.bytes=64k"
    };

    /** The writer's stdout, flushed at every line (the parent reads it as it goes). */
    static PrintStream stdout() {
        return new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
    }

    /**
     * Opens the busy engine every crash writer runs, on the data dir {@code args[0]} with the compaction
     * style {@code args[2]} (default leveled): 64 KiB memtables, compaction at 2 L0 files, a checkpoint
     * every 300 ms, and {@code extra} settings.
     */
    static RiverEngine openBusy(String[] args, String... extra) throws java.io.IOException {
        String style = args.length > 2 ? args[2] : "leveled";
        String[] settings = new String[4 + extra.length];
        settings[0] = "river.memtable.max.bytes=64k";
        settings[1] = "river.compaction.style=" + style;
        settings[2] = "river.l0.compaction.trigger=2";
        settings[3] = "river.checkpoint.interval.ms=300";
        System.arraycopy(extra, 0, settings, 4, extra.length);
        return EngineTestUtils.openSmall(Path.of(args[0]), settings);
    }

    /**
     * Batch {@code seq} of the model on table c (with a random pad column when {@code pad} is given):
     * as rows, or for odd {@code seq} as one column batch ({@link TableColumns}), so kills land on
     * both kinds of write.
     */
    static WriteBatch.Builder batch(long seq, Random pad) {
        Row.Builder row =
                Row.builder(key(seq % KEYS)).set("_key", key(seq % KEYS)).set("v", seq);
        if (pad != null) {
            row.set("pad", "x".repeat(pad.nextInt(200)));
        }
        List<Row> rows = new ArrayList<>(2);
        rows.add(row.build());
        if (seq % 5 == 0) {
            rows.add(Row.tombstone(key((seq * 7) % KEYS)));
        }
        WriteBatch.Builder b = WriteBatch.builder();
        if (seq % 2 == 1) {
            b.add(TableColumns.of("c", rows));
        } else {
            rows.forEach(r -> b.add("c", r));
        }
        return b;
    }

    public static String key(long i) {
        return "k" + i;
    }

    /** Value of each key after batches 0..lastSeq (null = absent), applying writes in order. */
    public static Long[] expected(long lastSeq) {
        Long[] state = new Long[KEYS];
        for (long seq = 0; seq <= lastSeq; seq++) {
            state[(int) (seq % KEYS)] = seq;
            if (seq % 5 == 0) {
                state[(int) ((seq * 7) % KEYS)] = null;
            }
        }
        return state;
    }
}
