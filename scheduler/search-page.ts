/**
 * Narrowing a search's known matches to the ones a page can hold. A search with at most 500
 * matches knows them all from its FULLTEXT lookup, which reads their rows anyway; taking their sort
 * values along lets a page read only the few that can be on it, instead of all of them read again
 * and sorted (about 1.8 ms for 180 matches at 100,000 jobs).
 */

/** A known match: its id and its value of the (date) sort column, in ms (null: it has none). */
export interface Candidate {
  id: string;
  at: number | null;
}

export interface PageCandidatesOptions {
  /** The sort's direction. */
  ascending: boolean;
  /** Reading backwards from `from` (the page before a cursor, or the last page). */
  reverse: boolean;
  /** Rows strictly after this one in the read's order (its value; ties are kept, see below). */
  from?: { at: number | null };
  /** How many rows the read takes. */
  limit: number;
}

/** Position in a read's order, by value only: rows with a value before those without (reversed when reading backwards). */
function rank(at: number | null, { ascending, reverse }: PageCandidatesOptions): [number, number] {
  const valued = at !== null;
  const group = valued === !reverse ? 0 : 1;
  const forwards = ascending !== reverse;
  return [group, at === null ? 0 : forwards ? at : -at];
}

const compare = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];

/**
 * The ids among `candidates` that can be among the first `limit` rows of a read along a date
 * sort, in the list's order: rows with a value by value (ascending or not), then rows without,
 * ties by id; a reverse read goes the other way. Ids compare by the database's collation, which
 * is not JavaScript's, so everything tied in value with `from` or with the `limit`-th candidate is
 * kept (those tied with `from` do not count towards `limit`: they may lie on either side of it):
 * the result holds every row the read can return, and the database picks and orders them.
 */
export function pageCandidates(candidates: Candidate[], o: PageCandidatesOptions): string[] {
  const start = o.from ? rank(o.from.at, o) : null;
  const ranked = candidates.map((c) => ({ id: c.id, rank: rank(c.at, o) }));
  // Tied with the cursor: before or after it by id, which only the database can tell.
  const tied = start ? ranked.filter((c) => compare(c.rank, start) === 0) : [];
  const beyond = ranked.filter((c) => !start || compare(c.rank, start) > 0).sort((a, b) => compare(a.rank, b.rank));
  const last = beyond.length > o.limit ? beyond[o.limit - 1].rank : null;
  const page = last ? beyond.filter((c) => compare(c.rank, last) <= 0) : beyond;
  return [...tied, ...page].map((c) => c.id);
}
