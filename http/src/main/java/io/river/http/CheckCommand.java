package io.river.http;

import io.river.engine.DataDirLockedException;
import io.river.engine.StoreChecker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code river check --data-dir DIR [--quiet]}: the offline scrub of a stopped River's data directory
 * ({@link StoreChecker}). Prints one line per file (status, path, detail; {@code --quiet} prints
 * only files that are not OK) and a summary. Exit codes: 0 healthy (torn WAL tails and orphan files,
 * which recovery repairs, included), 1 damaged or missing files, 2 bad usage or a directory that is
 * in use or is not River's. Changes nothing. Not thread-safe; used once from main.
 */
final class CheckCommand {
    private CheckCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        String dir = null;
        boolean quiet = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--data-dir") || arg.startsWith("--data-dir=")) {
                if (arg.contains("=")) {
                    dir = arg.substring(arg.indexOf('=') + 1);
                } else if (i + 1 < args.length) {
                    dir = args[++i];
                } else {
                    throw new RiverCli.UsageException("Option '--data-dir' needs a value");
                }
            } else if (arg.equals("--quiet")) {
                quiet = true;
            } else {
                throw new RiverCli.UsageException(
                        "Unknown option '" + arg + "' for check; options are --data-dir, --quiet");
            }
        }
        if (dir == null || dir.isBlank()) {
            throw new RiverCli.UsageException("Usage: river check --data-dir DIR [--quiet]");
        }
        Path path = Path.of(dir).toAbsolutePath();
        if (!Files.isDirectory(path)) {
            err.println("river check: " + path + " is not a directory");
            return 2;
        }
        StoreChecker.Report report;
        try {
            report = StoreChecker.check(path);
        } catch (DataDirLockedException e) {
            err.println("river check: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("river check: " + e.getMessage());
            return 2;
        }
        int notOk = 0;
        for (StoreChecker.Finding f : report.findings()) {
            if (f.status() != StoreChecker.Status.OK) {
                notOk++;
            } else if (quiet) {
                continue;
            }
            out.printf("%-9s %s  %s%n", f.status(), path.relativize(f.file()), f.detail());
        }
        out.printf(
                "%d files checked, %d not OK: %s%n",
                report.findings().size(),
                notOk,
                report.healthy()
                        ? "healthy (recovery repairs any torn WAL tail or orphan file)"
                        : "DAMAGED (restore the named files from a backup)");
        return report.healthy() ? 0 : 1;
    }
}
