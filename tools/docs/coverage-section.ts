/**
 * The coverage datasets' section of docs/checks.md, rendered from `buildCoverage` itself: per dataset its title,
 * where its values come from, and per class the count of values and requests and the passages that decide what they
 * must get. Built for the repository's contract with jobs 241 (existing) and 999999 (missing), in a fixed year, so
 * the page does not change with the day it is generated on.
 */
import { buildCoverage, sizeReport, type CoverageValue, type Dataset } from '../../src/coverage';
import type { OperationModel } from '../../src/contract/model';

/** The year the page's time-zone values are built for (a run builds them for the year it starts in). */
export const PAGE_YEAR = 2026;

export function renderCoverageSection(model: OperationModel): string[] {
  const coverage = buildCoverage(model, {
    ids: { existing: 241, missing: 999999 },
    now: new Date(Date.UTC(PAGE_YEAR, 0, 1)),
  });
  const reports = coverage.all.map(sizeReport);
  const lines = [
    '## The coverage datasets',
    '',
    'Before the random properties, the run\'s coverage group sends curated values from four datasets, each judged by',
    'the checks above with the expectation its source gives it. Counts are those of the repository\'s contract with',
    `jobs 241 and 999999, built for ${PAGE_YEAR} (the time-zone values follow the year a run starts in). Each value and`,
    'how it is chosen: [coverage.md](coverage.md).',
    '',
    '| dataset | values | requests |',
    '| --- | ---: | ---: |',
    ...reports.map((r) => `| ${r.dataset} | ${r.values} | ${r.requests} |`),
    `| **in all** | **${reports.reduce((s, r) => s + r.values, 0)}** | **${reports.reduce((s, r) => s + r.requests, 0)}** |`,
  ];
  for (const dataset of coverage.all) lines.push('', ...datasetLines(dataset));
  return lines;
}

function datasetLines(dataset: Dataset): string[] {
  const report = sizeReport(dataset);
  const lines = [
    `### ${dataset.title} (\`${dataset.name}\`)`,
    '',
    `**Where the values come from:** ${dataset.origin}`,
    '',
    '| class | values | requests | decided by |',
    '| --- | ---: | ---: | --- |',
  ];
  for (const c of dataset.classes) {
    const size = report.classes.find((r) => r.class === c.name);
    if (size === undefined || size.values === 0) continue;
    const values = dataset.values.filter((v: CoverageValue) => v.class === c.name);
    const sources = [...new Set(values.map((v) => v.source))];
    lines.push(`| \`${c.name}\`: ${cell(c.title)} | ${size.values} | ${size.requests} | ${sources.map(cell).join('; ')} |`);
  }
  return lines;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
