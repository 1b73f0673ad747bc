package io.river.engine.testing;

import io.river.engine.RiverEngine;
import io.river.engine.metrics.EngineMetrics;
import io.river.engine.model.TableMode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Child-process body for the crash matrix: {@link CrashWriter}'s workload and model (same keys,
 * values and {@code ACK <seq>} lines), plus a watcher thread that prints {@code PHASE <name>} the
 * moment it sees the engine in or just past a phase, so the parent can {@code kill -9} it there:
 * <ul>
 *   <li>{@code wal-sync}: the WAL sync counter moved;</li>
 *   <li>{@code segment-write}: a segment temp file ({@code .arrow.tmp}) exists: a flush or compaction
 *       is writing a segment;</li>
 *   <li>{@code flush}, {@code checkpoint}, {@code compaction}: the counter moved (the phase has just
 *       installed its result in the manifest);</li>
 *   <li>{@code checkpoint-write}: a checkpoint temp file exists;</li>
 *   <li>{@code manifest-replace}: {@code manifest.json} was replaced (its file key changed) or its temp
 *       file exists;</li>
 *   <li>{@code backup-copy}, {@code backup-manifest} (only with a backup directory): the backup being
 *       taken has files but no manifest yet, or its manifest temp file exists.</li>
 * </ul>
 * The watcher polls every 200 microseconds and needs no hook in the engine. Arguments: data dir,
 * first seq, compaction style, and optionally a directory under which a thread takes hot backups
 * {@code b-0, b-1, ...} one after another, printing {@code EVENT backup-start <i> <last ack>} and
 * {@code EVENT backup-done <i> <ack when it began> <last ack>}.
 */
public final class CrashPhaseWriter {
    private CrashPhaseWriter() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long startSeq = Long.parseLong(args[1]);
        Path backups = args.length > 3 ? Path.of(args[3]) : null;
        PrintStream out = CrashWriter.stdout();
        try (RiverEngine engine = CrashWriter.openBusy(args, CrashWriter.SMALL_FILES)) {
            engine.createTable("c", TableMode.UPSERT);
            AtomicLong lastAck = new AtomicLong(startSeq - 1);
            AtomicReference<Path> backupTarget = new AtomicReference<>();
            Thread watcher = new Thread(() -> watch(engine, dir, backupTarget, out), "phase-watcher");
            watcher.setDaemon(true);
            watcher.start();
            if (backups != null) {
                Thread backer = new Thread(() -> backUp(engine, backups, backupTarget, lastAck, out), "backup-loop");
                backer.setDaemon(true);
                backer.start();
            }
            out.println("READY");
            Random pad = new Random(startSeq);
            for (long seq = startSeq; ; seq++) {
                engine.write(CrashWriter.batch(seq, pad).build());
                lastAck.set(seq);
                out.println("ACK " + seq);
            }
        }
    }

    /** Takes backups one after another until the process dies. */
    private static void backUp(
            RiverEngine engine, Path backups, AtomicReference<Path> target, AtomicLong lastAck, PrintStream out) {
        try {
            for (int i = 0; ; i++) {
                Path to = backups.resolve("b-" + i);
                long before = lastAck.get();
                out.println("EVENT backup-start " + i + " " + before);
                target.set(to);
                engine.backup(to);
                out.println("EVENT backup-done " + i + " " + before + " " + lastAck.get());
            }
        } catch (IOException | RuntimeException e) {
            out.println("EVENT backup-failed " + e);
        }
    }

    private static void watch(RiverEngine engine, Path dir, AtomicReference<Path> backupTarget, PrintStream out) {
        EngineMetrics m = engine.metrics();
        long syncs = m.walSyncs.sum();
        long flushes = m.flushes.sum();
        long checkpoints = m.checkpoints.sum();
        long compactions = m.compactions.sum();
        Object manifestKey = fileKey(dir.resolve("manifest.json"));
        Path tableDir = dir.resolve("tables").resolve("c");
        Path ckptDir = dir.resolve("checkpoint");
        while (true) {
            long v;
            if ((v = m.walSyncs.sum()) != syncs) {
                syncs = v;
                out.println("PHASE wal-sync");
            }
            if ((v = m.flushes.sum()) != flushes) {
                flushes = v;
                out.println("PHASE flush");
            }
            if ((v = m.checkpoints.sum()) != checkpoints) {
                checkpoints = v;
                out.println("PHASE checkpoint");
            }
            if ((v = m.compactions.sum()) != compactions) {
                compactions = v;
                out.println("PHASE compaction");
            }
            Object k = fileKey(dir.resolve("manifest.json"));
            if (!Objects.equals(k, manifestKey) || Files.exists(dir.resolve("manifest.json.tmp"))) {
                manifestKey = k;
                out.println("PHASE manifest-replace");
            }
            if (hasTmp(tableDir)) {
                out.println("PHASE segment-write");
            }
            if (hasTmp(ckptDir)) {
                out.println("PHASE checkpoint-write");
            }
            Path backup = backupTarget.get();
            if (backup != null && Files.isDirectory(backup.resolve("tables"))) {
                if (Files.exists(backup.resolve("manifest.json.tmp"))) {
                    out.println("PHASE backup-manifest");
                } else if (!Files.exists(backup.resolve("manifest.json"))) {
                    out.println("PHASE backup-copy");
                }
            }
            try {
                Thread.sleep(0, 200_000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class)
                    .fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean hasTmp(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.tmp")) {
            return s.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }
}
