import { describe, expect, it } from 'vitest';
import { jobWordsOf } from '../db/job-words';
import { planJobSearch } from './job-search';

describe('planJobSearch', () => {
  it('splits on anything but letters, digits and _, as job_words does, lower-cased and deduplicated', () => {
    expect(planJobSearch('Nightly-Backup eu_west/42 nightly')).toEqual({
      indexed: ['nightly', 'backup', 'eu_west'],
      words: ['nightly', 'backup', 'eu_west', '42'],
    });
  });

  it('keeps short words and stop words out of the index lookup', () => {
    expect(planJobSearch('report for db')).toEqual({ indexed: ['report'], words: ['report', 'for', 'db'] });
    expect(planJobSearch('the db').indexed).toEqual([]);
  });

  it('counts characters, not bytes, and keeps accents (the collation ignores them)', () => {
    expect(planJobSearch('zü Zürich').indexed).toEqual(['zürich']);
    // Split before lower-casing: "İ" lower-cases to "i" and a combining dot, which would split the word.
    expect(planJobSearch('İstanbul').words).toEqual(['istanbul']);
  });

  it('looks up a word that begins a stop word (job_words holds "what")', () => {
    expect(planJobSearch('wha report')).toEqual({ indexed: ['wha', 'report'], words: ['wha', 'report'] });
    expect(planJobSearch('whatever about_x').indexed).toEqual(['whatever', 'about_x']);
  });
});

describe('jobWordsOf (the words job_words holds for a job)', () => {
  it('splits name and id as a search splits its text, each word once whatever its case, as written', () => {
    expect(jobWordsOf({ id: 'nightly-07.eu_west', name: 'Nightly Backup: EU/07' })).toEqual(['Nightly', 'Backup', 'EU', '07', 'eu_west']);
    const name = 'Zürich — Café report #12';
    expect(jobWordsOf({ id: 'z', name }).map((w) => w.toLowerCase())).toEqual([...planJobSearch(name).words, 'z']);
    // Lower-cased first, "İ" would become "i" and a combining dot, which splits the word.
    expect(jobWordsOf({ id: 'i', name: 'İstanbul' })).toEqual(['İstanbul', 'i']);
  });

  it('keeps words of up to 84 characters (longer ones are not found, as the search says)', () => {
    expect(jobWordsOf({ id: 'a', name: `Report ${'x'.repeat(84)} ${'y'.repeat(85)}` })).toEqual(['Report', 'x'.repeat(84), 'a']);
  });
});
