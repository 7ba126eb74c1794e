import { describe, expect, it } from 'vitest';
import { planJobSearch } from './job-search';

describe('planJobSearch', () => {
  it('splits on anything but letters, digits and _, as InnoDB does, lower-cased and deduplicated', () => {
    expect(planJobSearch('Nightly-Backup eu_west/42 nightly')).toEqual({ indexed: ['nightly', 'backup', 'eu_west'], words: ['nightly', 'backup', 'eu_west', '42'] });
  });

  it('keeps short words and stop words out of the index lookup', () => {
    expect(planJobSearch('report for db')).toEqual({ indexed: ['report'], words: ['report', 'for', 'db'] });
    expect(planJobSearch('the db').indexed).toEqual([]);
  });

  it('counts characters, not bytes, and keeps accents (the index ignores them)', () => {
    expect(planJobSearch('zü Zürich').indexed).toEqual(['zürich']);
  });
});
