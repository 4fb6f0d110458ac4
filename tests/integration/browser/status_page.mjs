// tests/integration/browser/status_page.mjs: a real browser on the status page.
//
// node status_page.mjs BASE_URL SCHEMAD CONFIG SCREENSHOT
// Debian's chromium, driven by puppeteer-core over the DevTools protocol:
// the overview lists every pair with its state, a pair's page shows its
// changes and plan, and `schemad ack` shows on the page after the next
// check. Prints "N passed, M failed".
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

const [base, schemad, config, screenshot] = process.argv.slice(2);
let pass = 0, fail = 0;
function check(name, cond, detail) {
	if (cond) pass++;
	else { fail++; console.log(`FAIL ${name}${detail ? ': ' + detail : ''}`); }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const profile = mkdtempSync(join(tmpdir(), 'schemad-chromium-'));
const browser = await puppeteer.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	headless: true,
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
	       '--disable-component-update', '--disable-sync', '--no-first-run',
	       `--user-data-dir=${profile}`],
	timeout: 120000, // chromium's start, on a loaded machine (default 30 s)
});
try {
	const page = await browser.newPage();
	page.setDefaultTimeout(60000); // each navigation and query (default 30 s)
	await page.setJavaScriptEnabled(false); // the page must work without it
	await page.setViewport({ width: 1600, height: 460 });

	// The overview: every pair, its state.
	await page.goto(base + '/', { waitUntil: 'load' });
	const rows = await page.$$eval('tr.pair', (trs) => trs.map((tr) => ({
		name: tr.querySelector('a').textContent,
		href: tr.querySelector('a').getAttribute('href'),
		state: tr.querySelector('.state').textContent,
		text: tr.textContent,
	})));
	const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
	check('overview lists the SQLite pair', byName.lite, JSON.stringify(rows));
	check('overview lists the PostgreSQL pair', byName.pg, JSON.stringify(rows));
	check('SQLite pair drifts', byName.lite?.state === 'drift', byName.lite?.state);
	check('PostgreSQL pair drifts', byName.pg?.state === 'drift', byName.pg?.state);
	check('score and band shown', /\d+ (high|critical|medium|low)/.test(byName.pg?.text || ''));
	if (screenshot) await page.screenshot({ path: screenshot });

	// A pair's page: its changes, grouped by object, and the plan.
	await page.goto(base + byName.pg.href, { waitUntil: 'load' });
	const objects = await page.$$eval('tr.object', (trs) => trs.map((t) => t.textContent));
	const changes = await page.$eval('table.changes', (t) => t.textContent);
	const plan = await page.$eval('pre.plan', (p) => p.textContent);
	check('pair page groups changes by object', objects.some((o) => o.includes('accounts')), objects.join('|'));
	check('pair page lists the dropped column', /column\.drop column (public\.)?accounts\.phone/.test(changes), changes);
	check('pair page shows the plan', /ALTER TABLE "public"\."accounts" DROP COLUMN (IF EXISTS )?"phone"/.test(plan), plan);
	check('not acknowledged yet', !(await page.$('.state.ack')));

	// Acknowledge the drift; after the next check the page says so.
	execFileSync(schemad, ['ack', 'pg', '--reason', 'hotfix column, backport next week', '--config', config]);
	const until = Date.now() + 30000; // a bound for a loaded machine: the next check is due in 1 s
	let acked = null;
	while (!acked && Date.now() < until) {
		await sleep(1200);
		await page.goto(base + byName.pg.href, { waitUntil: 'load' });
		acked = await page.$eval('.state.ack', (e) => e.textContent).catch(() => null);
	}
	check('acknowledgement shows on the pair page', acked && acked.startsWith('acknowledged by'), acked);
	const history = await page.$eval('table.history', (t) => t.textContent);
	check('history shows who acknowledged and why', history.includes('hotfix column, backport next week'), history.slice(0, 300));
	await page.goto(base + '/', { waitUntil: 'load' });
	const overview = await page.$eval('body', (b) => b.textContent);
	check('overview shows the acknowledgement', overview.includes('acknowledged by'));
} finally {
	await browser.close();
	rmSync(profile, { recursive: true, force: true });
}
console.log(`${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
