package io.river.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ConfigSampleTest {
    private static final String SAMPLE = ConfigSample.properties();

    @Test
    void everyKeyAppearsOnceAsACommentedOutSetting() {
        List<String> lines = SAMPLE.lines().toList();
        for (ConfigKey<?> key : RiverConfigKeys.ALL) {
            long settings = lines.stream()
                    .filter(l -> l.startsWith("#" + key.name() + "="))
                    .count();
            assertEquals(1, settings, key.name());
        }
        assertEquals(
                RiverConfigKeys.ALL.size(),
                lines.stream().filter(l -> l.startsWith("#river.")).count());
        assertTrue(lines.stream().allMatch(l -> l.isEmpty() || l.startsWith("#")), "nothing is set as shipped");
        assertTrue(
                lines.stream().allMatch(l -> l.length() <= ConfigSample.WIDTH || !l.contains(" ")),
                "comment lines wrap at " + ConfigSample.WIDTH + " columns");
    }

    @Test
    void uncommentedSettingsAreTheDefaultsAndValidate() throws IOException {
        StringBuilder uncommented = new StringBuilder();
        SAMPLE.lines()
                .filter(l -> l.startsWith("#river."))
                .forEach(l -> uncommented.append(l.substring(1)).append('\n'));
        Properties props = new Properties();
        props.load(new StringReader(uncommented.toString()));
        Map<String, String> raw = new TreeMap<>();
        props.stringPropertyNames().forEach(k -> raw.put(k, props.getProperty(k)));
        for (ConfigKey<?> key : RiverConfigKeys.ALL) {
            String expected = key.isRequired() ? "" : String.valueOf(key.defaultValue());
            assertEquals(expected, raw.get(key.name()), key.name());
        }
        raw.put(RiverConfigKeys.DATA_DIR.name(), "/tmp/river-sample");
        RiverConfig config = RiverConfig.from(raw);
        for (ConfigKey<?> key : RiverConfigKeys.ALL) {
            if (!key.isRequired()) {
                assertEquals(key.defaultValue(), config.get(key), key.name());
            }
        }
    }

    @Test
    void valuesSurviveTheRoundTripThroughProperties() throws IOException {
        for (String value : List.of("plain", "${topic}", "C:\\data\\river", "  leading blanks")) {
            Properties p = new Properties();
            p.load(new StringReader("k=" + ConfigSample.escape(value)));
            assertEquals(value, p.getProperty("k"));
        }
    }
}
