package io.river.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The HTTP benchmark's Java load generator (the fallback without wrk): the whole benchmark runs on it at
 * toy sizes, including the {@code /query} routes whose SQL holds spaces, and a worker's failure fails
 * the run with its cause instead of being lost.
 */
class HttpBenchTest {
    @Test
    void theWholeBenchmarkRunsOnTheJavaClient() throws Exception {
        BenchResults results = new BenchResults();
        new HttpBench(2_000, 5_000, 1, HttpBench.Client.JAVA, results).run();
        String md = results.markdown();
        assertFalse(md.contains("FAILED"), md);
        List<BenchResults.Row> rows = results.rows().stream()
                .filter(r -> r.benchmark().equals("http"))
                .toList();
        assertEquals(12, rows.size(), md); // (req/s, p99, CPU per request) x (get, put, two queries)
        for (BenchResults.Row r : rows) {
            assertTrue(r.river() > 0 && Double.isFinite(r.river()), r.what() + "\n" + md);
        }
    }

    @Test
    void queryParameterWithSpacesMakesAValidUri() {
        String sql = "SELECT count(*) FROM events WHERE city = 'city3'";
        URI uri = URI.create("http://127.0.0.1:1/query?sql=" + HttpBench.queryParam(sql));
        assertEquals("sql=" + sql, uri.getQuery());
    }

    @Test
    void aWorkerFailureFailsTheRunWithItsCause() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "no such route".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            IllegalStateException e = assertThrows(
                    IllegalStateException.class, () -> HttpBench.javaLoad(base, k -> "/get?key=" + k, null, 10, 5, 4));
            assertTrue(e.getMessage().contains("answered 200, not 404: no such route"), e.getMessage());
        } finally {
            server.stop(0);
        }
    }
}
