package io.river.engine.testing;

import io.river.engine.RiverEngine;
import io.river.engine.model.Row;
import io.river.engine.model.TableMode;
import io.river.engine.model.WriteBatch;
import java.io.PrintStream;
import java.nio.file.Path;
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
        Path dir = Path.of(args[0]);
        long startSeq = Long.parseLong(args[1]);
        String style = args.length > 2 ? args[2] : "leveled";
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
        try (RiverEngine engine = EngineTestUtils.openSmall(
                dir,
                "river.memtable.max.bytes=64k",
                "river.compaction.style=" + style,
                "river.l0.compaction.trigger=2",
                "river.level.base.bytes=128k",
                "river.segment.target.bytes=64k",
                "river.checkpoint.interval.ms=300",
                "river.wal.file.max.bytes=64k")) {
            engine.createTable("c", TableMode.UPSERT);
            out.println("READY");
            Random pad = new Random(startSeq);
            for (long seq = startSeq; ; seq++) {
                WriteBatch.Builder b = WriteBatch.builder();
                b.add(
                        "c",
                        Row.builder(key(seq % KEYS))
                                .set("_key", key(seq % KEYS))
                                .set("v", seq)
                                .set("pad", "x".repeat(pad.nextInt(200)))
                                .build());
                if (seq % 5 == 0) {
                    b.add("c", Row.tombstone(key((seq * 7) % KEYS)));
                }
                engine.write(b.build());
                out.println("ACK " + seq);
            }
        }
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
