package io.river.http;

import static io.river.http.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** river.http.auth.token: every route but /health* needs the bearer token. */
class AuthTest {
    static final String TOKEN = "s3cret-Token_42";

    @TempDir
    Path dir;

    TestServer t;

    @BeforeEach
    void start() throws Exception {
        t = TestServer.start(dir, "river.http.auth.token=" + TOKEN);
    }

    @AfterEach
    void stop() throws Exception {
        t.close();
    }

    private static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    @Test
    void healthNeedsNoToken() {
        assertEquals(200, t.get("/health").statusCode());
        assertEquals(200, t.get("/health/ready").statusCode());
    }

    @Test
    void everyOtherRouteNeedsTheToken() {
        for (String path : new String[] {
            "/",
            "/stats",
            "/tables",
            "/tables/default",
            "/metrics",
            "/openapi.json",
            "/get?key=a",
            "/query?sql=SELECT%201",
            "/no-such-route",
            "/healthz"
        }) {
            HttpResponse<byte[]> r = t.get(path);
            assertError(r, 401, "unauthorized");
            assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), path);
        }
        assertError(t.post("/put?key=a", new byte[] {1}, "text/plain"), 401, "unauthorized");
        assertError(t.delete("/delete?key=a"), 401, "unauthorized");
    }

    @Test
    void wrongOrMalformedTokensAre401() {
        assertError(t.get("/stats", bearer("wrong")), 401, "unauthorized");
        assertError(t.get("/stats", bearer(TOKEN.substring(0, TOKEN.length() - 1))), 401, "unauthorized");
        assertError(t.get("/stats", bearer(TOKEN + "x")), 401, "unauthorized");
        assertError(t.get("/stats", bearer("")), 401, "unauthorized");
        assertError(t.get("/stats", "Authorization", "Basic " + TOKEN), 401, "unauthorized");
        assertError(t.get("/stats", "Authorization", TOKEN), 401, "unauthorized");
    }

    @Test
    void theRightTokenPasses() {
        assertEquals(200, t.get("/stats", bearer(TOKEN)).statusCode());
        assertEquals(
                200, t.get("/stats", "Authorization", "bearer " + TOKEN).statusCode(), "scheme is case-insensitive");
        assertEquals(
                200,
                t.post("/put?key=a", "v".getBytes(), "text/plain", bearer(TOKEN))
                        .statusCode());
        assertEquals("v", TestServer.text(t.get("/get?key=a", bearer(TOKEN))));
        assertEquals(200, t.get("/metrics", bearer(TOKEN)).statusCode());
        assertError(t.get("/nope", bearer(TOKEN)), 404, "not_found");
    }
}
