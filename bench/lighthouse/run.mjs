// Lighthouse over a list of URLs in one Chromium (bench/lighthouse.py drives this file).
// Argument: a JSON object {urls, chromePath, chromeFlags, blocked}. Output: one JSON line per
// URL with the figures the bench reads (or the run's error). Mobile emulation and simulated
// throttling are Lighthouse's defaults (a mid-range phone on a slow 4G line).
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const options = JSON.parse(process.argv[2]);
const chrome = await chromeLauncher.launch({
  chromePath: options.chromePath,
  chromeFlags: options.chromeFlags,
  logLevel: "silent",
});
try {
  for (const url of options.urls) {
    const line = { url };
    try {
      const result = await lighthouse(url, {
        port: chrome.port,
        output: "json",
        logLevel: "silent",
        onlyCategories: ["performance"],
        blockedUrlPatterns: options.blocked,
      });
      const lhr = result.lhr;
      const audit = (id) => lhr.audits[id] || {};
      const kinds = {};
      for (const item of (audit("resource-summary").details || {}).items || []) {
        kinds[item.resourceType] = { bytes: item.transferSize, count: item.requestCount };
      }
      const lcpElement = ((audit("largest-contentful-paint-element").details || {}).items || [])[0];
      Object.assign(line, {
        error: lhr.runtimeError ? lhr.runtimeError.code : null,
        warnings: lhr.runWarnings,
        score: lhr.categories.performance.score,
        fcp: audit("first-contentful-paint").numericValue,
        lcp: audit("largest-contentful-paint").numericValue,
        cls: audit("cumulative-layout-shift").numericValue,
        tbt: audit("total-blocking-time").numericValue,
        weight: audit("total-byte-weight").numericValue,
        kinds,
        lcpElement: (((lcpElement || {}).items || [])[0] || {}).node?.snippet ?? null,
        shifts: (((audit("layout-shifts").details || {}).items) || []).slice(0, 3)
          .map((item) => [Math.round(item.score * 1000) / 1000, item.node && item.node.selector]),
        longTasks: (((audit("long-tasks").details || {}).items) || []).slice(0, 3)
          .map((item) => [item.url, Math.round(item.duration)]),
        benchmarkIndex: lhr.environment.benchmarkIndex,
      });
    } catch (error) {
      line.error = String(error && error.message || error);
    }
    process.stdout.write(JSON.stringify(line) + "\n");
  }
} finally {
  await chrome.kill();
}
