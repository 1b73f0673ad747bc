package io.river.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.config.RiverConfig;
import io.river.config.RiverConfigKeys;
import io.river.engine.RiverEngine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The river command line, run in-process: exit codes and the one-line messages. */
class RiverCliTest {
    @TempDir
    Path dir;

    /** Exit code, stdout and stderr of one run. */
    record Run(int code, String out, String err) {
        int errLines() {
            return err.isEmpty() ? 0 : err.split("\n").length;
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RiverCli.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheCommands() {
        Run r = run("--help");
        assertEquals(0, r.code());
        for (String command : new String[] {"serve", "query", "check", "demo", "bench", "restart", "--help-config"}) {
            assertTrue(r.out().contains(command), command);
        }
        assertEquals(2, run().code(), "no command is bad usage");
    }

    @Test
    void helpConfigListsEveryKey() {
        Run r = run("--help-config");
        assertEquals(0, r.code());
        RiverConfigKeys.ALL.forEach(k -> assertTrue(r.out().contains(k.name()), k.name()));
    }

    @Test
    void badConfigurationIsOneLineAndExit2() {
        Run badValue = run("serve", "--data-dir", dir.toString(), "--river.wal.sync=sometimes");
        assertEquals(2, badValue.code());
        assertEquals(1, badValue.errLines(), badValue.err());
        assertTrue(badValue.err().contains("river.wal.sync") && badValue.err().contains("batch"), badValue.err());

        Run unknownKey = run("serve", "--data-dir", dir.toString(), "--river.no.such.key=1");
        assertEquals(2, unknownKey.code());
        assertEquals(1, unknownKey.errLines());
        assertTrue(unknownKey.err().contains("river.no.such.key"), unknownKey.err());

        Run badPort = run("serve", "--data-dir", dir.toString(), "--port", "http");
        assertEquals(2, badPort.code());
        assertTrue(badPort.err().contains("river.http.port"), badPort.err());

        Run noHttp = run("serve", "--data-dir", dir.toString(), "--port", "-1");
        assertEquals(2, noHttp.code());
        assertTrue(noHttp.err().contains("river.http.port"), noHttp.err());

        Run missingDir = run("serve", "--port", "0");
        assertEquals(2, missingDir.code());
        assertTrue(missingDir.err().contains("river.data.dir"), missingDir.err());

        Run unknownOption = run("serve", "--data-dir", dir.toString(), "--verbose", "yes");
        assertEquals(2, unknownOption.code());
        assertTrue(unknownOption.err().contains("--verbose"), unknownOption.err());

        Run noValue = run("serve", "--data-dir");
        assertEquals(2, noValue.code());
        assertTrue(noValue.err().contains("--data-dir"), noValue.err());

        assertEquals(2, run("frobnicate").code());
    }

    @Test
    void configFileAndFlagsMapToKeys() throws Exception {
        Path file = dir.resolve("river.properties");
        Files.writeString(file, "river.wal.sync=always\nriver.http.max.key.bytes=77\n");
        RiverConfig c = ServeCommand.parse(new String[] {
            "--config",
            file.toString(),
            "--data-dir=" + dir,
            "--port",
            "0",
            "--host",
            "127.0.0.1",
            "--river.http.max.key.bytes",
            "99"
        });
        assertEquals("always", c.get(RiverConfigKeys.WAL_SYNC));
        assertEquals(99, c.get(RiverConfigKeys.HTTP_MAX_KEY_BYTES), "flags override the file");
        assertEquals(0, c.get(RiverConfigKeys.HTTP_PORT));
        assertEquals("127.0.0.1", c.get(RiverConfigKeys.HTTP_HOST));
        assertEquals(dir.toString(), c.get(RiverConfigKeys.DATA_DIR));

        Files.writeString(file, "river.wal.synk=always\n");
        Run r = run("serve", "--config", file.toString(), "--data-dir", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("river.wal.synk"), r.err());
        Run missing = run("serve", "--config", dir.resolve("nope.properties").toString(), "--data-dir", dir.toString());
        assertEquals(2, missing.code());
        assertEquals(1, missing.errLines(), missing.err());
    }

    @Test
    void commandsToComeSayNotYetAvailable() {
        for (String c : new String[] {"demo", "bench"}) {
            Run r = run(c);
            assertEquals(1, r.code());
            assertTrue(r.err().contains("not yet available"), r.err());
        }
    }

    @Test
    void restartWithoutARunningServerSaysSo() {
        Run r = run("restart", "--data-dir", dir.toString(), "--port", "0");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no running River server"), r.err());
        assertEquals(2, run("restart").code(), "no data dir is bad usage");
        assertEquals(
                2,
                run("restart", "--data-dir", dir.toString(), "--takeover", "1").code());
    }

    @Test
    void queryWithoutAServerSaysSo() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run r = run("query", "SELECT 1", "--port", Integer.toString(port));
        assertEquals(1, r.code());
        assertTrue(r.err().contains("No River server"), r.err());
        assertEquals(2, run("query").code());
        assertEquals(2, run("query", "SELECT 1", "--port", "x").code());
        assertEquals(2, run("query", "SELECT 1", "SELECT 2").code());
    }

    @Test
    void queryPrintsTheServersError() throws Exception {
        try (TestServer t = TestServer.start(dir)) {
            Run r = run(
                    "query",
                    "SELECT nope FROM missing",
                    "--port",
                    Integer.toString(t.server.port()),
                    "--host",
                    "127.0.0.1");
            assertEquals(1, r.code());
            assertTrue(r.err().contains("unknown_table"), r.err());
        }
    }

    @Test
    void backupOfARunningServerIsADataDirectoryThatCheckAcceptsAndServeOpens() throws Exception {
        Path target = dir.resolve("backup");
        try (TestServer t = TestServer.start(dir.resolve("data"))) {
            for (int i = 0; i < 50; i++) {
                assertEquals(
                        200,
                        t.postJson("/put?table=orders&key=o" + i, "{\"n\":" + i + "}")
                                .statusCode());
            }
            String port = Integer.toString(t.server.port());
            Run r = run("backup", "--to", target.toString(), "--port", port, "--host", "127.0.0.1");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith("Backup of manifest generation"), r.out());
            Run again = run("backup", "--to", target.toString(), "--port", port, "--host", "127.0.0.1");
            assertEquals(1, again.code());
            assertTrue(again.err().contains("invalid_target") && again.err().contains("not empty"), again.err());
        }
        Run check = run("check", "--data-dir", target.toString());
        assertEquals(0, check.code(), check.out() + check.err());
        try (RiverEngine restored = RiverEngine.open(RiverConfig.from(TestServer.config(target)))) {
            for (int i = 0; i < 50; i++) {
                assertEquals(
                        (long) i,
                        restored.table("orders")
                                .orElseThrow()
                                .get("o" + i)
                                .orElseThrow()
                                .get("n"));
            }
        }
        assertEquals(2, run("backup").code(), "--to is required");
    }

    @Test
    void resultTableRendersColumnsRowsAndNulls() throws Exception {
        String json = "{\"columns\":[{\"name\":\"city\",\"type\":\"STRING\"},{\"name\":\"n\",\"type\":\"INT64\"}],"
                + "\"rows\":[[\"Oslo\",12],[null,3]],\"stats\":{\"elapsedMs\":4}}";
        String table = ResultTable.render(Json.MAPPER.readTree(json));
        assertEquals(
                String.join("\n", "city | n ", "-----+---", "Oslo | 12", "NULL | 3 ", "(2 rows, 4 ms)", ""), table);
    }

    @Test
    void serveStartsAndRefusesALockedDataDirOrATakenPort() throws Exception {
        RiverConfig config = RiverConfig.from(TestServer.config(dir));
        try (ServeCommand.Running running = ServeCommand.start(config)) {
            assertTrue(running.server.isReady());
            ServeCommand.StartupException locked =
                    assertThrows(ServeCommand.StartupException.class, () -> ServeCommand.start(config));
            assertTrue(locked.getMessage().contains("cannot open data dir"), locked.getMessage());

            RiverConfig samePort = RiverConfig.from(
                    TestServer.config(dir.resolve("other"), "river.http.port=" + running.server.port()));
            ServeCommand.StartupException taken =
                    assertThrows(ServeCommand.StartupException.class, () -> ServeCommand.start(samePort));
            assertTrue(taken.getMessage().contains("cannot listen"), taken.getMessage());
        }
    }

    @Test
    void checkScrubsAStoppedStoreAndNamesADamagedSegment() throws Exception {
        Path store = dir.resolve("store");
        try (io.river.engine.RiverEngine e = io.river.engine.RiverEngine.open(RiverConfig.from(java.util.Map.of(
                "river.data.dir", store.toString(), "river.http.port", "-1", "river.segment.block.rows", "64")))) {
            for (int i = 0; i < 500; i++) {
                e.write(io.river.engine.model.WriteBatch.of(
                        "default",
                        io.river.engine.model.Row.builder("k" + i)
                                .set("_value", ("value " + i).getBytes(StandardCharsets.UTF_8))
                                .build()));
            }
            e.flush();
        }
        Run healthy = run("check", "--data-dir", store.toString());
        assertEquals(0, healthy.code(), healthy.err());
        assertTrue(healthy.out().contains("healthy") && healthy.out().contains(".arrow"), healthy.out());

        Path segment;
        try (var files = Files.walk(store.resolve("tables"))) {
            segment = files.filter(p -> p.toString().endsWith(".arrow"))
                    .findFirst()
                    .orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length / 3] ^= 0x40;
        Files.write(segment, bytes);
        Run damaged = run("check", "--data-dir", store.toString(), "--quiet");
        assertEquals(1, damaged.code(), damaged.out() + damaged.err());
        assertTrue(
                damaged.out().contains("DAMAGED")
                        && damaged.out().contains(segment.getFileName().toString()),
                damaged.out());

        assertEquals(2, run("check").code(), "no --data-dir is bad usage");
        Run notRiver = run("check", "--data-dir", dir.toString());
        assertEquals(2, notRiver.code());
        assertTrue(notRiver.err().contains("not a River data directory"), notRiver.err());
    }
}
