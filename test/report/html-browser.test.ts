import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { RULES } from '../../rules/index.js';
import { REPORTERS } from '../../src/report/index.js';
import type { Report } from '../../src/report/schema.js';
import { HOSTILE, hostileReport } from './reports.js';

/** The part of the browser's Document this test reads (the project's lib has no DOM types). */
interface XmlDocument {
  getElementsByTagName(name: string): ArrayLike<{ textContent: string | null; getAttribute(name: string): string | null }>;
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Opens the HTML report of the example fleet (with hostile Name tags) as a person would: a file in Chromium. */
describe('html report in a browser', function () {
  this.timeout(60_000);
  let browser: Browser;
  let report: Report;
  let dir: string;
  let url: string;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      if (process.env.VSS_PREFLIGHT_REQUIRE_BROWSER === '1') throw new Error(`${CHROMIUM} is missing and VSS_PREFLIGHT_REQUIRE_BROWSER=1: install chromium or set CHROMIUM_PATH`);
      console.log(`      skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH, or VSS_PREFLIGHT_REQUIRE_BROWSER=1 to fail instead)`);
      this.skip();
    }
    report = await hostileReport();
    dir = await mkdtemp(join(tmpdir(), 'vss-preflight-html-'));
    const file = join(dir, 'report.html');
    await writeFile(file, REPORTERS.html(report, { color: false, rules: RULES }));
    url = pathToFileURL(file).href;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });

  after(async () => {
    await browser?.close();
  });

  /** A fresh page that records every dialog, request, console error and uncaught exception. */
  async function open(javaScriptEnabled = true) {
    const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const seen = { dialogs: [] as string[], requests: [] as string[], problems: [] as string[] };
    page.on('dialog', (d) => {
      seen.dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('request', (r) => seen.requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') seen.problems.push(m.text());
    });
    page.on('pageerror', (e) => seen.problems.push(e.message));
    await page.goto(url);
    return { page, seen, close: () => context.close() };
  }

  const visibleRows = (page: Page) => page.locator('#instances tbody tr:visible');
  const column = (page: Page, n: number) => page.$$eval(`#instances tbody tr:not([hidden]) td:nth-child(${n})`, (tds) => tds.map((td) => td.textContent ?? ''));

  it('shows the summary counts, one row per instance, and filters, sorts and stays inert', async () => {
    const { page, seen, close } = await open();
    try {
      const counts = await page.$$eval('.card', (cards) => cards.map((c) => [c.getAttribute('data-verdict'), Number(c.querySelector('.count')!.textContent)]));
      expect(Object.fromEntries(counts)).to.deep.equal({
        'application-consistent': report.summary['application-consistent'],
        'vss-fallback': report.summary['vss-fallback'],
        'no-vss': report.summary['no-vss'],
        unknown: report.summary.unknown,
      });
      expect(await page.locator('svg.chart rect[class^="bar-"]').count()).to.equal(4);
      expect(await visibleRows(page).count()).to.equal(33);
      expect(await page.locator('#shown').textContent()).to.equal('Showing 33 of 33 instances');

      // Typing in the filter box keeps the matching rows only.
      await page.fill('#filter-text', 'us-east-1');
      expect(await visibleRows(page).count()).to.equal(report.instances.filter((i) => i.region === 'us-east-1').length);
      expect(new Set(await column(page, 4))).to.deep.equal(new Set(['us-east-1']));
      await page.fill('#filter-text', 'REPORT-01');
      expect(await column(page, 2)).to.deep.equal(['report-01']);
      await page.fill('#filter-text', '');

      // Choosing a verdict keeps that verdict's rows only; with text, both apply.
      await page.selectOption('#filter-verdict', 'no-vss');
      expect(await visibleRows(page).count()).to.equal(report.summary['no-vss']);
      expect(new Set(await column(page, 6))).to.deep.equal(new Set(['no-vss']));
      await page.fill('#filter-text', 'eu-west-1');
      expect(await visibleRows(page).count()).to.equal(report.instances.filter((i) => i.verdict === 'no-vss' && i.region === 'eu-west-1').length);
      await page.fill('#filter-text', '');
      await page.selectOption('#filter-verdict', '');
      expect(await visibleRows(page).count()).to.equal(33);

      // Clicking a header sorts by it; clicking again reverses.
      const sorted = (names: string[], direction: 1 | -1) =>
        page.evaluate(
          ([list, dir]) => {
            const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
            return list.every((name, n) => n === 0 || collator.compare(list[n - 1]!, name) * dir <= 0);
          },
          [names, direction] as const,
        );
      await page.click('#instances th[data-key="name"] button');
      const ascending = await column(page, 2);
      expect(ascending).to.have.length(33);
      expect(await sorted(ascending, 1), ascending.join(' / ')).to.equal(true);
      expect(await page.getAttribute('#instances th[data-key="name"]', 'aria-sort')).to.equal('ascending');
      await page.click('#instances th[data-key="name"] button');
      const descending = await column(page, 2);
      expect(descending).to.deep.equal([...ascending].reverse());
      await page.click('#instances th[data-key="verdictRank"] button');
      const order = ['application-consistent', 'vss-fallback', 'no-vss', 'unknown'];
      const ranks = (await column(page, 6)).map((v) => order.indexOf(v));
      expect(ranks).to.deep.equal([...ranks].sort((a, b) => a - b));

      // The hostile Name tag is text in its cell, and nothing it holds ran.
      const hostileCell = page.locator('#instances tbody td:nth-child(2)', { hasText: 'alert(1)' });
      expect(await hostileCell.textContent()).to.equal(HOSTILE.script);
      expect(await page.locator('script').count()).to.equal(2);
      expect(await page.locator('img, iframe, b').count()).to.equal(0);
      // Its details open on the failing finding first; the passes stay folded until asked for.
      const row = page.locator(`#instance-${report.instances[3]!.instanceId}`);
      await row.locator('summary').first().click();
      expect(await row.locator('.finding').first().textContent()).to.match(/^fail instance-role-grants-vss/);
      expect(await row.locator('.rest .finding').first().isVisible()).to.equal(false);
      await row.locator('.rest > summary').click();
      expect(await row.locator('.rest .finding').first().isVisible()).to.equal(true);

      const shot = join(dir, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      console.log(`      screenshot: ${shot}`);

      expect(seen.dialogs, 'dialogs').to.deep.equal([]);
      expect([...new Set(seen.requests)], 'requests').to.deep.equal([url]);
      expect(seen.problems, 'console errors (a CSP violation shows here)').to.deep.equal([]);
    } finally {
      await close();
    }
  });

  it('reads without JavaScript: every row and finding is there, the controls that need the script are hidden', async () => {
    const { page, seen, close } = await open(false);
    try {
      expect(await visibleRows(page).count()).to.equal(33);
      expect(await page.locator('#controls').isVisible()).to.equal(false);
      const row = page.locator('#instances tbody tr').nth(3);
      await row.locator('summary').first().click();
      await row.locator('.rest > summary').click();
      const findings = row.locator('.finding');
      expect(await findings.count()).to.equal(report.instances[3]!.findings.length);
      for (let n = 0; n < report.instances[3]!.findings.length; n++) expect(await findings.nth(n).isVisible()).to.equal(true);
      expect(await page.locator('#fix-plan .steps > li').count()).to.equal(report.fixPlan.length);
      expect(seen.dialogs).to.deep.equal([]);
    } finally {
      await close();
    }
  });

  it('parses the JUnit report in its XML parser, with every hostile name intact but the characters XML 1.0 forbids', async () => {
    const { page, close } = await open();
    try {
      const xml = REPORTERS.junit(report);
      const parsed = await page.evaluate((text) => {
        const { DOMParser } = globalThis as unknown as { DOMParser: new () => { parseFromString(s: string, type: string): XmlDocument } };
        const doc = new DOMParser().parseFromString(text, 'application/xml');
        return {
          error: doc.getElementsByTagName('parsererror')[0]?.textContent ?? null,
          names: Array.from(doc.getElementsByTagName('testcase'), (c) => c.getAttribute('name')),
          failures: doc.getElementsByTagName('failure').length,
          errors: doc.getElementsByTagName('error').length,
        };
      }, xml);
      expect(parsed.error).to.equal(null);
      expect(parsed.names).to.have.length(33);
      expect(parsed.failures).to.equal(report.summary['vss-fallback'] + report.summary['no-vss']);
      expect(parsed.errors).to.equal(report.summary.unknown);
      Object.values(HOSTILE).forEach((name, n) => {
        expect(parsed.names[n]).to.equal(`${report.instances[n]!.instanceId} ${name.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')}`); // eslint-disable-line no-control-regex
      });
    } finally {
      await close();
    }
  });
});
