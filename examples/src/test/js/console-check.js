// Drives River's web console in headless Chromium (playwright-core, Debian's /usr/bin/chromium):
// opens it, waits for the live charts, runs a query with Ctrl+Enter, runs a bad query, takes a
// screenshot, and prints one JSON line with what it saw. Used by DemoIT (ConsoleBrowser.java).
//   node console-check.js URL SCREENSHOT.png "SQL"
"use strict";
const { chromium } = require("playwright-core");

const [url, screenshot, sql] = process.argv.slice(2);

function paintedPixels(page, id) {
  return page.evaluate((canvasId) => {
    const c = document.getElementById(canvasId);
    const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  }, id);
}

(async () => {
  const out = { consoleErrors: [], pageErrors: [], failedRequests: [] };
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on("console", (m) => { if (m.type() === "error") out.consoleErrors.push(m.text()); });
    page.on("pageerror", (e) => out.pageErrors.push(String(e)));
    page.on("requestfailed", (r) => out.failedRequests.push(r.url() + " " + (r.failure() || {}).errorText));
    page.on("response", (r) => { if (r.status() >= 400 && !r.url().endsWith("/query")) out.failedRequests.push(r.url() + " " + r.status()); });

    await page.goto(url, { waitUntil: "load" });
    out.title = await page.title();
    // The ingest chart needs a few /stats samples (one per second).
    await page.waitForFunction(() => window.riverConsole && window.riverConsole.samples() >= 3, null, { timeout: 20000 });
    await page.waitForFunction(() => document.querySelectorAll("#tables .chip").length > 0, null, { timeout: 20000 });
    out.tables = await page.$$eval("#tables .chip", (cs) => cs.map((c) => c.textContent));
    out.status = await page.textContent("#status");

    await page.fill("#sql", sql);
    await page.focus("#sql");
    await page.keyboard.press("Control+Enter");
    await page.waitForSelector("#results tbody tr", { timeout: 30000 });
    out.headers = await page.$$eval("#results thead th", (ths) => ths.map((t) => t.firstChild.textContent));
    out.rows = await page.$$eval("#results tbody tr", (trs) => trs.map((tr) => Array.from(tr.cells).map((td) => td.textContent)));
    out.resultStats = await page.textContent("#result-stats");

    out.ingestPixels = await paintedPixels(page, "ingest-chart");
    out.lsmPixels = await paintedPixels(page, "lsm-chart");
    out.ingestNow = await page.textContent("#ingest-now");
    out.lsmNow = await page.textContent("#lsm-now");
    out.lsmFacts = await page.textContent("#lsm-facts");
    await page.screenshot({ path: screenshot, fullPage: true });

    // A bad query: the error names the position and the console points at it. Chromium logs the
    // 400 answer itself as a console error; that one is expected, anything else is not.
    const errorsSoFar = out.consoleErrors.length;
    await page.fill("#sql", "SELECT city,\n  SUM(no_such_column) AS n\nFROM orders\nGROUP BY city");
    await page.click("#run");
    await page.waitForSelector("#error:not([hidden])", { timeout: 30000 });
    out.errorMessage = await page.textContent("#error-message");
    out.errorSnippet = await page.textContent("#error-snippet");
    await page.screenshot({ path: screenshot.replace(/\.png$/, "-error.png") });
    out.consoleErrors = out.consoleErrors.filter((m, i) =>
      i < errorsSoFar || !/Failed to load resource: the server responded with a status of 400/.test(m));
  } finally {
    await browser.close();
  }
  console.log("RESULT " + JSON.stringify(out));
})().catch((e) => {
  console.error("console-check failed: " + (e && e.stack ? e.stack : e));
  process.exit(1);
});
