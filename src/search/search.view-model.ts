// What the search page shows beside its results: the filter panel's fields and the result count in words.
import type { SearchQuery } from './search-query.ts';
import type { FacetName, FacetValue, SearchResult } from './search.queries.ts';

/** Facet values shown per field: the most frequent, plus any that are selected. */
const SHOWN_PER_FACET = 10;

export interface FacetField {
  name: FacetName;
  legend: string;
  multiple: boolean;
  values: FacetValue[];
  hidden: number;
}

const LEGENDS: Record<FacetName, string> = {
  status: 'Status',
  type: 'Type of question',
  member: 'Asked by',
  group: 'Party group',
  body: 'Answering body',
  topic: 'Topic',
  year: 'Year',
  meeting: 'Meeting',
};
const ORDER: FacetName[] = ['status', 'type', 'member', 'group', 'body', 'topic', 'year', 'meeting'];

/** The values the search selects, as strings per facet (to keep a filter visible even when it matches nothing). */
function selectedValues(query: SearchQuery): Record<FacetName, string[]> {
  const one = (v: string | number | undefined) => (v === undefined ? [] : [String(v)]);
  return {
    member: query.member,
    group: query.group,
    body: one(query.body),
    meeting: one(query.meeting),
    type: one(query.type),
    status: one(query.status),
    year: one(query.year),
    topic: one(query.topic),
  };
}

export function facetPanel(result: SearchResult, query: SearchQuery): FacetField[] {
  const selected = selectedValues(query);
  return ORDER.map((name) => {
    const missing = selected[name].filter((v) => !result.facets[name].some((f) => f.value === v));
    const all = [...result.facets[name], ...missing.map((v) => ({ value: v, label: v, count: 0, selected: true }))];
    const top = all.slice(0, SHOWN_PER_FACET);
    const extra = all.slice(SHOWN_PER_FACET).filter((v) => v.selected);
    return { name, legend: LEGENDS[name], multiple: name === 'member' || name === 'group', values: [...top, ...extra], hidden: all.length - top.length - extra.length };
  }).filter((field) => field.values.length > 0);
}

export function resultHeading(result: SearchResult): string {
  const n = result.total.toLocaleString('en-GB');
  if (result.total === 0) return 'No questions found';
  const words = result.total === 1 ? 'question' : 'questions';
  return result.totalIsEstimate ? `About ${n} ${words} found` : `${n} ${words} found`;
}
