package io.river.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds {@code wrk} for the HTTP benchmark, installing it without root when it is absent: the Debian
 * packages of {@code wrk} and, when the system lacks it, of LuaJIT are fetched with {@code apt-get
 * download} and unpacked with {@code dpkg-deb -x} into a cache directory ({@code
 * $XDG_CACHE_HOME/river/wrk}, default {@code ~/.cache/river/wrk}), which later runs reuse. The unpacked
 * binary runs with {@code LD_LIBRARY_PATH} pointing at the unpacked libraries. Every step that fails
 * is kept in {@link Found#log()} so the caller can say why it fell back.
 */
final class WrkSetup {
    /** LuaJIT packages that provide {@code libluajit-5.1.so.2}, in the order wrk's package lists them. */
    private static final List<String> LUAJIT = List.of("libluajit-5.1-2", "libluajit2-5.1-2");

    private static final long STEP_TIMEOUT_SECONDS = 120;

    /** How to run wrk: the executable and extra environment; {@code source} says where it came from. */
    record Wrk(String executable, Map<String, String> env, String source) {
        ProcessBuilder command(List<String> args) {
            List<String> cmd = new ArrayList<>();
            cmd.add(executable);
            cmd.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().putAll(env);
            return pb;
        }
    }

    /** The outcome: wrk when found or installed, and the steps taken. */
    record Found(Optional<Wrk> wrk, List<String> log) {}

    private WrkSetup() {}

    /**
     * wrk from the PATH, else from the cache, else installed into the cache from Debian packages.
     *
     * @param install false to only look (PATH and cache), never download
     */
    static Found find(boolean install) {
        List<String> log = new ArrayList<>();
        Wrk onPath = new Wrk("wrk", Map.of(), "PATH");
        if (runs(onPath, log)) {
            return new Found(Optional.of(onPath), log);
        }
        Path cache = cacheDir();
        Optional<Wrk> cached = unpacked(cache, "cache " + cache);
        if (cached.isPresent() && runs(cached.get(), log)) {
            return new Found(cached, log);
        }
        if (!install) {
            return new Found(Optional.empty(), log);
        }
        try {
            return new Found(installInto(cache, log), log);
        } catch (IOException e) {
            log.add("installing wrk from Debian packages failed: " + e.getMessage());
            return new Found(Optional.empty(), log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.add("installing wrk interrupted");
            return new Found(Optional.empty(), log);
        }
    }

    static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("river").resolve("wrk");
    }

    /**
     * Installs into {@code cache}: (1) downloads and unpacks wrk into a staging directory, (2) adds
     * LuaJIT when the unpacked wrk does not run without it, (3) moves the staging directory into place.
     */
    private static Optional<Wrk> installInto(Path cache, List<String> log) throws IOException, InterruptedException {
        Files.createDirectories(cache.getParent());
        Path staging = Files.createTempDirectory(cache.getParent(), "wrk-staging-");
        try {
            Path debs = Files.createDirectories(staging.resolve("debs"));
            Path root = Files.createDirectories(staging.resolve("root"));
            fetchAndUnpack("wrk", debs, root, log);
            Optional<Wrk> wrk = unpacked(root, "Debian package");
            if (wrk.isEmpty()) {
                throw new IOException("the wrk package holds no usr/bin/wrk");
            }
            if (!runs(wrk.get(), log)) {
                wrk = withLuaJit(debs, root, log);
            }
            if (wrk.isEmpty()) {
                return Optional.empty();
            }
            BenchSupport.deleteTree(cache);
            Files.move(root, cache, StandardCopyOption.ATOMIC_MOVE);
            log.add("installed wrk from Debian packages into " + cache);
            return unpacked(cache, "Debian package, cached in " + cache);
        } finally {
            BenchSupport.deleteTree(staging);
        }
    }

    private static Optional<Wrk> withLuaJit(Path debs, Path root, List<String> log)
            throws IOException, InterruptedException {
        for (String pkg : LUAJIT) {
            try {
                fetchAndUnpack(pkg, debs, root, log);
            } catch (IOException e) {
                log.add(e.getMessage());
                continue;
            }
            Optional<Wrk> wrk = unpacked(root, "Debian package");
            if (wrk.isPresent() && runs(wrk.get(), log)) {
                return wrk;
            }
        }
        log.add("the unpacked wrk does not run with any of " + LUAJIT);
        return Optional.empty();
    }

    private static void fetchAndUnpack(String pkg, Path debs, Path root, List<String> log)
            throws IOException, InterruptedException {
        exec(new ProcessBuilder("apt-get", "download", pkg).directory(debs.toFile()), "apt-get download " + pkg);
        Path deb;
        try (Stream<Path> files = Files.list(debs)) {
            deb = files.filter(f -> f.getFileName().toString().startsWith(pkg + "_"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("apt-get download " + pkg + " left no .deb"));
        }
        exec(new ProcessBuilder("dpkg-deb", "-x", deb.toString(), root.toString()), "dpkg-deb -x " + deb);
        log.add("unpacked " + deb.getFileName());
    }

    /** wrk under {@code root/usr/bin}, with the library directories that hold shared objects. */
    private static Optional<Wrk> unpacked(Path root, String source) {
        Path exe = root.resolve("usr/bin/wrk");
        if (!Files.isExecutable(exe)) {
            return Optional.empty();
        }
        List<String> libDirs = new ArrayList<>();
        Path lib = root.resolve("usr/lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> walk = Files.walk(lib)) {
                walk.filter(p -> p.getFileName().toString().contains(".so"))
                        .map(p -> p.getParent().toString())
                        .distinct()
                        .forEach(libDirs::add);
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        String existing = System.getenv("LD_LIBRARY_PATH");
        if (existing != null && !existing.isBlank()) {
            libDirs.add(existing);
        }
        Map<String, String> env = libDirs.isEmpty() ? Map.of() : Map.of("LD_LIBRARY_PATH", String.join(":", libDirs));
        return Optional.of(new Wrk(exe.toString(), env, source));
    }

    /** True when {@code wrk --version} starts and prints its banner (it exits 1 after the usage text). */
    private static boolean runs(Wrk wrk, List<String> log) {
        try {
            Process p =
                    wrk.command(List.of("--version")).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                log.add(wrk.executable() + " --version did not finish");
                return false;
            }
            if (out.startsWith("wrk ")) {
                return true;
            }
            log.add(wrk.executable() + " (" + wrk.source() + ") does not run: " + firstLine(out));
            return false;
        } catch (IOException e) {
            log.add(wrk.executable() + " (" + wrk.source() + ") not found");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void exec(ProcessBuilder pb, String what) throws IOException, InterruptedException {
        Process p = pb.redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(what + " did not finish in " + STEP_TIMEOUT_SECONDS + " s");
        }
        if (p.exitValue() != 0) {
            String text = new String(out, StandardCharsets.UTF_8).strip();
            throw new IOException(
                    what + " exited " + p.exitValue() + ": " + text.substring(text.lastIndexOf('\n') + 1));
        }
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
