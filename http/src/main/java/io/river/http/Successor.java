package io.river.http;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the process that takes over a running server in a graceful restart:
 * {@code river serve <args> --takeover <old pid>} in a new JVM with this JVM's options and class
 * path, in its own session (via {@code setsid} where present, so a terminal hang-up or Ctrl-C
 * aimed at whoever asked for the restart does not reach it), stdin from {@code /dev/null},
 * stdout and stderr appended to a log file. Also checks the kernel setting that decides whether
 * connections queued on the old listener survive the switch. Stateless; thread-safe.
 */
final class Successor {
    /** Linux (5.14+) setting: migrate connections queued on a closed SO_REUSEPORT listener to a sibling. */
    static final Path MIGRATE_REQ = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");

    private Successor() {}

    static Process spawn(List<String> serveArgs, long oldPid, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        for (String setsid : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(setsid))) {
                cmd.add(setsid);
                break;
            }
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(RiverCli.class.getName());
        cmd.add("serve");
        cmd.addAll(serveArgs);
        cmd.add("--takeover");
        cmd.add(Long.toString(oldPid));
        Files.createDirectories(log.toAbsolutePath().getParent());
        return new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true)
                .start();
    }

    /**
     * Null when connections waiting in the old listener's accept queue will move to the new one;
     * otherwise the warning to print: they are reset when the old listener closes.
     */
    static String migrateWarning() {
        String value;
        try {
            value = Files.readString(MIGRATE_REQ, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return "this kernel has no " + MIGRATE_REQ + " (Linux 5.14+): connections still waiting in the old "
                    + "server's accept queue at the switch are reset";
        }
        if (value.equals("1")) {
            return null;
        }
        return "net.ipv4.tcp_migrate_req=" + value + ": connections still waiting in the old server's accept queue "
                + "at the switch are reset; set it to 1 (sysctl -w net.ipv4.tcp_migrate_req=1) for restarts that drop "
                + "no connection";
    }
}
