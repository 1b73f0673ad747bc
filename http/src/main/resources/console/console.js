// River console: SQL editor, results, live ingest chart and LSM picture. Plain JavaScript, no
// libraries, no network access beyond River's own API (works offline).
(function () {
  "use strict";

  var POLL_MS = 1000;
  var HISTORY_SECONDS = 120;
  var MAX_ROWS_SHOWN = 1000;

  var EXAMPLES = [
    ["Revenue by city", "SELECT city, COUNT(*) AS orders, SUM(amount) AS revenue\nFROM orders\nGROUP BY city\nORDER BY revenue DESC\nLIMIT 10"],
    ["Orders per minute", "SELECT date_trunc('minute', ts) AS bucket, COUNT(*) AS orders, AVG(amount) AS avg_amount\nFROM orders\nGROUP BY date_trunc('minute', ts)\nORDER BY bucket DESC\nLIMIT 15"],
    ["Heaviest users", "SELECT user_id, COUNT(*) AS orders, SUM(amount) AS spent\nFROM orders\nGROUP BY user_id\nORDER BY orders DESC\nLIMIT 10"],
    ["Countries and channels", "SELECT country, channel, COUNT(*) AS orders\nFROM orders\nWHERE status = 'paid'\nGROUP BY country, channel\nHAVING COUNT(*) > 100\nORDER BY orders DESC\nLIMIT 20"],
    ["Distinct users", "SELECT COUNT(*) AS orders, APPROX_COUNT_DISTINCT(user_id) AS users, MAX(amount) AS largest\nFROM orders"],
    ["Latest orders", "SELECT ts, order_id, city, amount, status\nFROM orders\nORDER BY ts DESC\nLIMIT 20"]
  ];

  var $ = function (id) { return document.getElementById(id); };
  var editor = $("sql");
  var runButton = $("run");

  // ------------------------------------------------------------------ formatting

  function fmtInt(n) {
    return Math.round(n).toLocaleString("en-US");
  }

  function fmtBytes(n) {
    var units = ["B", "KiB", "MiB", "GiB", "TiB"];
    var i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(n < 10 ? 1 : 0)) + " " + units[i];
  }

  function fmtCompact(n) {
    if (n >= 1e9) return (n / 1e9).toFixed(1) + "G";
    if (n >= 1e6) return (n / 1e6).toFixed(1) + "M";
    if (n >= 1e3) return (n / 1e3).toFixed(1) + "k";
    return String(Math.round(n));
  }

  // ------------------------------------------------------------------ SQL editor and results

  function selectedSql() {
    var start = editor.selectionStart, end = editor.selectionEnd;
    if (end > start && editor.value.slice(start, end).trim() !== "") {
      return { sql: editor.value.slice(start, end), offset: start };
    }
    return { sql: editor.value, offset: 0 };
  }

  function runQuery() {
    var q = selectedSql();
    if (q.sql.trim() === "") return;
    runButton.disabled = true;
    hideError();
    $("result-stats").textContent = "running…";
    var started = performance.now();
    fetch("/query", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ sql: q.sql })
    }).then(function (r) {
      return r.json().then(function (body) { return { status: r.status, body: body }; },
        function () { return { status: r.status, body: { error: { code: "http_" + r.status, message: r.statusText } } }; });
    }).then(function (res) {
      if (res.body && res.body.error) {
        showError(res.body.error, q);
        $("result-stats").textContent = "";
      } else {
        renderResult(res.body, performance.now() - started);
      }
    }).catch(function (e) {
      showError({ code: "network", message: "River did not answer: " + e.message }, q);
      $("result-stats").textContent = "";
    }).finally(function () {
      runButton.disabled = false;
    });
  }

  function renderResult(result, roundTripMs) {
    var table = $("results");
    var thead = table.tHead, tbody = table.tBodies[0];
    thead.textContent = "";
    tbody.textContent = "";
    var head = document.createElement("tr");
    var numeric = [];
    result.columns.forEach(function (c) {
      var th = document.createElement("th");
      th.textContent = c.name;
      var type = document.createElement("small");
      type.textContent = c.type.toLowerCase();
      th.appendChild(type);
      head.appendChild(th);
      numeric.push(/INT|DOUBLE|FLOAT|DECIMAL|BIGINT/i.test(c.type));
    });
    thead.appendChild(head);
    var rows = result.rows.slice(0, MAX_ROWS_SHOWN);
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      row.forEach(function (v, i) {
        var td = document.createElement("td");
        if (v === null || v === undefined) {
          td.textContent = "NULL";
          td.className = "null";
        } else {
          if (numeric[i]) td.className = "num";
          td.textContent = typeof v === "object" ? JSON.stringify(v)
            : (typeof v === "number" && !Number.isInteger(v) ? Number(v.toFixed(4)).toString() : String(v));
        }
        tr.appendChild(td);
      });
      fragment.appendChild(tr);
    });
    tbody.appendChild(fragment);
    $("results-empty").hidden = true;
    var s = result.stats || {};
    var parts = [fmtInt(result.rows.length) + (result.rows.length === 1 ? " row" : " rows")];
    if (result.rows.length > MAX_ROWS_SHOWN) parts.push("first " + MAX_ROWS_SHOWN + " shown");
    if (s.rowsScanned !== undefined) parts.push(fmtInt(s.rowsScanned) + " scanned");
    if (s.blocksSkipped !== undefined) parts.push(fmtInt(s.blocksSkipped) + " blocks skipped");
    if (s.elapsedMs !== undefined) parts.push(s.elapsedMs + " ms in River");
    parts.push(Math.round(roundTripMs) + " ms round trip");
    $("result-stats").textContent = parts.join(" · ");
  }

  function hideError() {
    $("error").hidden = true;
  }

  // River's errors say "(line L, column C)" for a position in the SQL; show that line with a caret
  // and select the spot in the editor.
  function showError(err, q) {
    $("error").hidden = false;
    $("error-message").textContent = err.message + " [" + err.code + "]";
    var snippet = $("error-snippet");
    snippet.textContent = "";
    var m = /line (\d+), column (\d+)/.exec(err.message || "");
    if (!m) return;
    var line = parseInt(m[1], 10), column = parseInt(m[2], 10);
    var lines = q.sql.split("\n");
    if (line < 1 || line > lines.length) return;
    var text = lines[line - 1];
    snippet.textContent = text + "\n" + " ".repeat(Math.max(0, column - 1)) + "^";
    var at = q.offset;
    for (var i = 0; i < line - 1; i++) at += lines[i].length + 1;
    at += Math.min(Math.max(0, column - 1), text.length);
    var end = at;
    while (end < editor.value.length && /[\w.*'"]/.test(editor.value.charAt(end))) end++;
    editor.focus();
    editor.setSelectionRange(at, Math.max(end, at + 1));
  }

  editor.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      runQuery();
    } else if (e.key === "Tab" && !e.shiftKey) {
      e.preventDefault();
      var s = editor.selectionStart;
      editor.setRangeText("  ", s, editor.selectionEnd, "end");
    }
  });
  runButton.addEventListener("click", runQuery);

  var examples = $("examples");
  EXAMPLES.forEach(function (ex, i) {
    var o = document.createElement("option");
    o.value = String(i);
    o.textContent = ex[0];
    examples.appendChild(o);
  });
  examples.addEventListener("change", function () {
    if (examples.value === "") return;
    editor.value = EXAMPLES[parseInt(examples.value, 10)][1];
    examples.value = "";
    runQuery();
  });

  // ------------------------------------------------------------------ tables

  function refreshTables() {
    fetch("/tables").then(function (r) { return r.ok ? r.json() : null; }).then(function (body) {
      if (!body) return;
      var list = Array.isArray(body) ? body : (body.tables || []);
      var box = $("tables");
      box.textContent = "";
      list.forEach(function (t) {
        var name = typeof t === "string" ? t : t.name;
        var rows = typeof t === "object" && t.estimatedRows !== undefined ? " · " + fmtCompact(t.estimatedRows) : "";
        var chip = document.createElement("button");
        chip.type = "button";
        chip.className = "chip";
        chip.textContent = name + rows;
        chip.title = "SELECT * FROM " + name;
        chip.addEventListener("click", function () {
          editor.value = "SELECT *\nFROM " + name + "\nLIMIT 100";
          runQuery();
        });
        box.appendChild(chip);
      });
    }).catch(function () { /* shown by the status pill */ });
  }

  // ------------------------------------------------------------------ live charts

  var history = []; // {t: seconds, rate: rows/s, rows: stored rows}
  var last = null;  // previous /stats sample {t, ingested}
  var lastCompactions = 0;
  var compactionFlashUntil = 0;

  function setupCanvas(canvas) {
    var ratio = window.devicePixelRatio || 1;
    var w = canvas.clientWidth || canvas.width, h = canvas.height / (canvas._ratio || 1);
    canvas._ratio = ratio;
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(h * ratio);
    var ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    return { ctx: ctx, w: w, h: h };
  }

  function niceMax(v) {
    if (v <= 0) return 1;
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var m = v / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  }

  function drawIngest() {
    var c = setupCanvas($("ingest-chart"));
    var ctx = c.ctx, w = c.w, h = c.h;
    var left = 48, right = 56, top = 10, bottom = 22;
    var pw = w - left - right, ph = h - top - bottom;
    ctx.clearRect(0, 0, w, h);
    ctx.font = "11px system-ui, sans-serif";
    var now = performance.now() / 1000;
    // The time axis grows with the history: 30 s at first, up to HISTORY_SECONDS.
    var span = history.length ? now - history[0].t : 0;
    var windowSeconds = Math.min(HISTORY_SECONDS, Math.max(30, Math.ceil(span / 30) * 30));
    var rateMax = niceMax(Math.max.apply(null, history.map(function (p) { return p.rate; }).concat([1])));
    // The row count axis frames the values seen (a growing total would otherwise be a flat line).
    var rowsMinRaw = history.length ? Math.min.apply(null, history.map(function (p) { return p.rows; })) : 0;
    var rowsMaxRaw = history.length ? Math.max.apply(null, history.map(function (p) { return p.rows; })) : 1;
    var rowsSpan = Math.max(rowsMaxRaw - rowsMinRaw, rowsMaxRaw * 0.02, 10);
    var rowsLow = Math.max(0, rowsMinRaw - rowsSpan * 0.25);
    var rowsMax = rowsMaxRaw + rowsSpan * 0.25;
    // Grid and axes.
    ctx.strokeStyle = "#e6ebf0";
    ctx.fillStyle = "#66788a";
    ctx.lineWidth = 1;
    for (var i = 0; i <= 4; i++) {
      var y = top + ph - (ph * i) / 4;
      ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(left + pw, y); ctx.stroke();
      ctx.textAlign = "right";
      ctx.fillText(fmtCompact((rateMax * i) / 4), left - 6, y + 4);
      ctx.textAlign = "left";
      ctx.fillText(fmtCompact(rowsLow + ((rowsMax - rowsLow) * i) / 4), left + pw + 6, y + 4);
    }
    ctx.textAlign = "center";
    var step = windowSeconds <= 30 ? 10 : 30;
    for (var s = 0; s <= windowSeconds; s += step) {
      var x = left + pw - (pw * s) / windowSeconds;
      ctx.fillText(s === 0 ? "now" : "-" + s + "s", x, h - 6);
    }
    function series(key, color, lo, hi) {
      if (history.length < 2) return;
      ctx.strokeStyle = color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      history.forEach(function (p, k) {
        var x = left + pw - (pw * (now - p.t)) / windowSeconds;
        var y = top + ph - (ph * (p[key] - lo)) / Math.max(1e-9, hi - lo);
        if (k === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
      });
      ctx.stroke();
    }
    ctx.save();
    ctx.beginPath(); ctx.rect(left, top - 2, pw, ph + 4); ctx.clip();
    series("rate", "#1f6feb", 0, rateMax);
    series("rows", "#2da44e", rowsLow, rowsMax);
    ctx.restore();
    if (history.length < 2) {
      ctx.fillStyle = "#66788a";
      ctx.textAlign = "center";
      ctx.fillText("collecting samples…", left + pw / 2, top + ph / 2);
    }
  }

  function drawLsm(stats) {
    var c = setupCanvas($("lsm-chart"));
    var ctx = c.ctx, w = c.w, h = c.h;
    ctx.clearRect(0, 0, w, h);
    ctx.font = "11px system-ui, sans-serif";
    var levels = stats.levels || [];
    var rows = levels.length + 1;
    var rowH = Math.min(36, (h - 8) / rows);
    var labelW = 44, infoW = 180;
    var barW = w - labelW - infoW - 8;
    var maxBytes = Math.max.apply(null, levels.map(function (l) { return l.bytes; }).concat([1]));
    var compacting = (stats.compaction && stats.compaction.running > 0) || performance.now() < compactionFlashUntil;

    // Memtable: fill against its flush threshold.
    var mem = stats.memtable || { bytes: 0, maxBytes: 1, immutable: 0 };
    var y0 = 4;
    ctx.fillStyle = "#1d2b36";
    ctx.textAlign = "left";
    ctx.fillText("mem", 4, y0 + rowH / 2 + 4);
    ctx.fillStyle = "#eef2f5";
    ctx.fillRect(labelW, y0 + 6, barW, rowH - 12);
    ctx.fillStyle = "#f0a500";
    ctx.fillRect(labelW, y0 + 6, barW * Math.min(1, mem.bytes / Math.max(1, mem.maxBytes)), rowH - 12);
    for (var k = 0; k < mem.immutable; k++) {
      ctx.fillStyle = "#c77c00";
      ctx.fillRect(labelW + barW - (k + 1) * 12, y0 + 6, 8, rowH - 12);
    }
    ctx.fillStyle = "#1d2b36";
    ctx.fillText(fmtBytes(mem.bytes) + " / " + fmtBytes(mem.maxBytes) + (mem.immutable ? " +" + mem.immutable + " flushing" : ""),
      labelW + barW + 8, y0 + rowH / 2 + 4);

    levels.forEach(function (l, i) {
      var y = y0 + (i + 1) * rowH;
      ctx.fillStyle = "#1d2b36";
      ctx.textAlign = "left";
      ctx.fillText("L" + l.level, 4, y + rowH / 2 + 4);
      // The level's size against the largest level (square-root scale, so small levels stay
      // visible), split into its files.
      var width = l.bytes > 0 ? Math.max(14, barW * Math.sqrt(l.bytes / maxBytes)) : 0;
      ctx.strokeStyle = "#d8e0e7";
      ctx.strokeRect(labelW + 0.5, y + 4.5, barW - 1, rowH - 9);
      var files = l.files;
      var drawn = Math.min(files, 60);
      if (drawn > 0) {
        var fw = width / drawn;
        for (var f = 0; f < drawn; f++) {
          var hue = l.level === 0 ? 210 : 210 - l.level * 25;
          ctx.fillStyle = "hsl(" + hue + ", 65%, " + (48 + (f % 2) * 8) + "%)";
          ctx.fillRect(labelW + f * fw + 1, y + 6, Math.max(1, fw - 2), rowH - 12);
        }
        if (compacting && (l.level <= 1 || l.files > 0)) {
          ctx.strokeStyle = "#f0a500";
          ctx.lineWidth = 2;
          ctx.strokeRect(labelW + 1, y + 5, width, rowH - 10);
          ctx.lineWidth = 1;
        }
      }
      ctx.fillStyle = files ? "#1d2b36" : "#9aa9b7";
      ctx.fillText(files + (files === 1 ? " file · " : " files · ") + fmtBytes(l.bytes) + " · " + fmtCompact(l.rows) + " rows",
        labelW + barW + 8, y + rowH / 2 + 4);
    });
  }

  function renderFacts(stats) {
    var comp = stats.compaction || {};
    var ingest = stats.ingest || {};
    var wal = stats.wal || {};
    var cache = stats.cache || {};
    var lookups = (cache.hits || 0) + (cache.misses || 0);
    var facts = [
      ["compactions", fmtInt(comp.count || 0) + (comp.running ? " (" + comp.running + " running)" : "")],
      ["compacted", fmtBytes(comp.bytesRead || 0) + " → " + fmtBytes(comp.bytesWritten || 0)],
      ["compaction rate", fmtBytes(comp.throughputBytesPerSec || 0) + "/s"],
      ["write amp", (ingest.diskWriteAmplification || 0) + "× disk"],
      ["WAL", (wal.files || 0) + " files · " + fmtBytes(wal.bytes || 0)],
      ["cache hits", lookups ? Math.round((100 * cache.hits) / lookups) + "% of " + fmtCompact(lookups) : "–"]
    ];
    var box = $("lsm-facts");
    box.textContent = "";
    facts.forEach(function (f) {
      var d = document.createElement("div");
      var b = document.createElement("b");
      b.textContent = f[0] + ": ";
      d.appendChild(b);
      d.appendChild(document.createTextNode(f[1]));
      box.appendChild(d);
    });
  }

  function storedRows(stats) {
    return (stats.tables || []).reduce(function (sum, t) { return sum + (t.estimatedRows || 0); }, 0);
  }

  function setStatus(text, cls) {
    var pill = $("status");
    pill.textContent = text;
    pill.className = "pill " + cls;
  }

  function poll() {
    fetch("/stats", { headers: { "Accept": "application/json" } }).then(function (r) {
      if (r.status === 503) { setStatus("recovering", "bad"); return null; }
      if (!r.ok) { setStatus("HTTP " + r.status, "bad"); return null; }
      return r.json();
    }).then(function (stats) {
      if (!stats) return;
      setStatus(stats.ready ? "ready" : "not ready", stats.ready ? "ok" : "bad");
      $("datadir").textContent = stats.dataDir || "";
      var t = performance.now() / 1000;
      var ingested = (stats.ingest && stats.ingest.rows) || 0;
      var rows = storedRows(stats);
      if (last && t > last.t) {
        var rate = Math.max(0, (ingested - last.ingested) / (t - last.t));
        history.push({ t: t, rate: rate, rows: rows });
        $("ingest-now").textContent = fmtInt(rate) + " rows/s · " + fmtInt(rows) + " rows";
      }
      last = { t: t, ingested: ingested };
      while (history.length && t - history[0].t > HISTORY_SECONDS) history.shift();
      var count = (stats.compaction && stats.compaction.count) || 0;
      if (count > lastCompactions) compactionFlashUntil = performance.now() + 1500;
      lastCompactions = count;
      var files = (stats.levels || []).reduce(function (s, l) { return s + l.files; }, 0);
      var bytes = (stats.levels || []).reduce(function (s, l) { return s + l.bytes; }, 0);
      $("lsm-now").textContent = files + " files · " + fmtBytes(bytes) + " on disk";
      drawIngest();
      drawLsm(stats);
      renderFacts(stats);
    }).catch(function () {
      setStatus("offline", "bad");
    });
  }

  var tick = 0;
  function loop() {
    poll();
    if (tick++ % 5 === 0) refreshTables();
  }
  drawIngest();
  loop();
  setInterval(loop, POLL_MS);
  window.addEventListener("resize", drawIngest);

  // Expose a little for tests and the curious: the number of /stats samples charted so far.
  window.riverConsole = { samples: function () { return history.length; } };
})();
