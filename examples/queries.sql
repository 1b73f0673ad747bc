-- Sample queries on the demo's `orders` table (./river demo or docker compose --profile generator).
-- Run one in the console (http://localhost:8080/), with ./river query "...", or with
--   curl -s localhost:8080/query -H 'Content-Type: text/plain' --data-binary @- <<< "SELECT ..."
-- Columns: order_id, ts (TIMESTAMP), user_id, city, country, channel, payment, items, amount,
-- status, first_order, plus River's system columns _key, _topic, _partition, _offset,
-- _timestamp (the Kafka record's) and _ingested_at. Each statement below ends with a semicolon;
-- send them one at a time.

-- How much is there, and how fresh is it?
SELECT COUNT(*) AS orders, MIN(ts) AS first_order_at, MAX(ts) AS last_order_at, MAX(_ingested_at) AS last_ingested_at
FROM orders;

-- Revenue by city: a few cities carry most of it (the generator draws cities from a Zipf law).
SELECT city, country, COUNT(*) AS orders, SUM(amount) AS revenue, AVG(amount) AS avg_order
FROM orders
GROUP BY city, country
ORDER BY revenue DESC
LIMIT 10;

-- Orders and revenue per minute: the live series (its rate swells and eases over a minute).
SELECT date_trunc('minute', ts) AS bucket, COUNT(*) AS orders, SUM(amount) AS revenue
FROM orders
GROUP BY date_trunc('minute', ts)
ORDER BY bucket DESC
LIMIT 15;

-- Heavy users: a long tail, with some users ordering far more than the rest.
SELECT user_id, COUNT(*) AS orders, SUM(amount) AS spent, MAX(amount) AS largest
FROM orders
GROUP BY user_id
ORDER BY orders DESC
LIMIT 10;

-- Channel mix per country, paid orders only, countries with enough traffic.
SELECT country, channel, COUNT(*) AS orders
FROM orders
WHERE status = 'paid'
GROUP BY country, channel
HAVING COUNT(*) > 100
ORDER BY country, orders DESC;

-- Refund and failure rates by payment method.
SELECT payment, status, COUNT(*) AS orders
FROM orders
WHERE status IN ('refunded', 'failed')
GROUP BY payment, status
ORDER BY orders DESC;

-- Distinct users (exact and approximate).
SELECT COUNT(DISTINCT user_id) AS users, APPROX_COUNT_DISTINCT(user_id) AS approx_users
FROM orders;

-- Big baskets in the last few minutes (zone maps on ts let River skip old blocks).
SELECT ts, order_id, user_id, city, items, amount
FROM orders
WHERE amount > 500 AND items >= 5
ORDER BY ts DESC
LIMIT 20;

-- New customers by channel.
SELECT channel, COUNT(*) AS first_orders
FROM orders
WHERE first_order
GROUP BY channel
ORDER BY first_orders DESC;

-- Where each record came from: Kafka partition and offset range per partition.
SELECT _partition, COUNT(*) AS orders, MIN(_offset) AS first_offset, MAX(_offset) AS last_offset
FROM orders
GROUP BY _partition
ORDER BY _partition;

-- Cities whose name matches a pattern.
SELECT city, COUNT(*) AS orders
FROM orders
WHERE city LIKE 'S%' OR city LIKE '%ó%'
GROUP BY city
ORDER BY orders DESC;

-- Paging through the latest orders of one city.
SELECT ts, order_id, amount, status
FROM orders
WHERE city = 'Berlin'
ORDER BY ts DESC
LIMIT 20 OFFSET 20;
