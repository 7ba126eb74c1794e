import { describe, expect, it } from 'vitest';
import { planJobSearch } from './job-search';

describe('planJobSearch', () => {
  it('splits on anything but letters, digits and _, as InnoDB does, lower-cased and deduplicated', () => {
    expect(planJobSearch('Nightly-Backup eu_west/42 nightly')).toEqual({
      indexed: ['nightly', 'backup', 'eu_west'],
      words: ['nightly', 'backup', 'eu_west', '42'],
      lookup: ['nightly', 'backup', 'eu_west'],
    });
  });

  it('keeps short words and stop words out of the index lookup', () => {
    expect(planJobSearch('report for db')).toEqual({ indexed: ['report'], words: ['report', 'for', 'db'], lookup: ['report'] });
    expect(planJobSearch('the db').indexed).toEqual([]);
  });

  it('counts characters, not bytes, and keeps accents (the index ignores them)', () => {
    expect(planJobSearch('zü Zürich').indexed).toEqual(['zürich']);
  });

  it('does not look up a word that begins a stop word (the index lacks "what", so "wha*" misses it), accents ignored', () => {
    expect(planJobSearch('wha report')).toEqual({ indexed: ['wha', 'report'], words: ['wha', 'report'], lookup: ['report'] });
    expect(planJobSearch('whé abou').lookup).toEqual([]);
    expect(planJobSearch('whatever about_x').lookup).toEqual(['whatever', 'about_x']);
  });
});
