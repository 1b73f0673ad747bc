package io.river.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {
    private static final Path HOME = Path.of("/tmp/river-home/demo-data");

    @Test
    void defaults() {
        DemoOptions o = DemoOptions.parse(new String[0], HOME);
        assertEquals(new DemoOptions(8080, HOME, 2000, 9092), o);
    }

    @Test
    void bothOptionForms() {
        DemoOptions o = DemoOptions.parse(
                new String[] {"--port", "9000", "--data-dir=/tmp/d", "--rate=0", "--kafka-port", "19092"}, HOME);
        assertEquals(new DemoOptions(9000, Path.of("/tmp/d"), 0, 19092), o);
    }

    @Test
    void helpIsNull() {
        assertNull(DemoOptions.parse(new String[] {"--port", "1", "--help"}, HOME));
    }

    @Test
    void badUsageSaysWhatIsWrong() {
        assertMessage("unknown option '--verbose'", "--verbose");
        assertMessage("--port needs a value", "--port");
        assertMessage("--port must be a number, got 'abc'", "--port", "abc");
        assertMessage("--port must be between 1 and 65535, got 70000", "--port=70000");
        assertMessage("--rate must be between 0 and 1000000, got -1", "--rate", "-1");
    }

    private static void assertMessage(String expected, String... args) {
        DemoOptions.UsageException e =
                assertThrows(DemoOptions.UsageException.class, () -> DemoOptions.parse(args, HOME));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
