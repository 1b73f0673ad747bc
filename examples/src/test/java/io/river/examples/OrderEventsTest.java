package io.river.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OrderEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int N = 20_000;

    private static List<JsonNode> orders(long seed) throws Exception {
        OrderEvents events = new OrderEvents(seed, "t");
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            String id = events.nextId();
            JsonNode order = JSON.readTree(events.json(1_700_000_000_000L + i));
            assertEquals(id, order.path("order_id").asText());
            out.add(order);
        }
        return out;
    }

    @Test
    void everyOrderIsAJsonObjectWithTypedFields() throws Exception {
        Set<String> ids = new HashSet<>();
        for (JsonNode o : orders(1)) {
            assertTrue(ids.add(o.path("order_id").asText()), "unique ids");
            assertTrue(o.path("ts").isIntegralNumber());
            assertTrue(o.path("amount").isDouble() && o.path("amount").asDouble() > 0, o.toString());
            assertEquals(
                    o.path("amount").asDouble(), Math.round(o.path("amount").asDouble() * 100) / 100.0, 1e-9);
            assertTrue(o.path("items").asInt() >= 1 && o.path("items").asInt() <= 12, o.toString());
            assertTrue(o.path("first_order").isBoolean());
            assertTrue(Set.of("paid", "refunded", "failed")
                    .contains(o.path("status").asText()));
            assertTrue(o.path("user_id").asText().matches("u\\d+"));
            assertEquals(2, o.path("country").asText().length());
            assertEquals(11, o.size(), o.toString());
        }
    }

    @Test
    void trafficIsSkewedLikeRealTraffic() throws Exception {
        Map<String, Integer> cities = new HashMap<>();
        Map<String, Integer> users = new HashMap<>();
        for (JsonNode o : orders(2)) {
            cities.merge(o.path("city").asText(), 1, Integer::sum);
            users.merge(o.path("user_id").asText(), 1, Integer::sum);
        }
        List<Integer> byCity = new ArrayList<>(cities.values());
        byCity.sort(Comparator.reverseOrder());
        assertEquals(
                "London",
                cities.entrySet().stream()
                        .max(Map.Entry.comparingByValue())
                        .orElseThrow()
                        .getKey());
        assertTrue(byCity.get(0) > 0.15 * N, "busiest city " + byCity.get(0));
        assertTrue(byCity.subList(0, 5).stream().mapToInt(Integer::intValue).sum() > 0.45 * N, "top 5 cities");
        assertTrue(byCity.get(byCity.size() - 1) < 0.01 * N, "long tail");
        List<Integer> byUser = new ArrayList<>(users.values());
        byUser.sort(Comparator.reverseOrder());
        int top = byUser.subList(0, 100).stream().mapToInt(Integer::intValue).sum();
        assertTrue(top > 0.08 * N, "the 100 heaviest users place " + top + " of " + N + " orders");
        assertTrue(byUser.get(0) > 20 * byUser.get(byUser.size() / 2), "heavy users order far more than the median");
    }

    @Test
    void theSameSeedGivesTheSameOrders() throws Exception {
        assertEquals(orders(3), orders(3));
    }
}
