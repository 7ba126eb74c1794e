import { describe, expect, it } from 'vitest';
import { jobWordsOf, WORD_IN_ID, WORD_IN_NAME } from '../db/job-words';
import { planJobSearch } from './job-search';

describe('planJobSearch', () => {
  it('splits on anything but letters, digits and _, as job_words does, lower-cased and deduplicated', () => {
    expect(planJobSearch('Nightly-Backup eu_west/42 nightly')).toEqual({ words: ['nightly', 'backup', 'eu_west', '42'], findable: true });
  });

  it('keeps short words and stop words (the word table holds every word)', () => {
    expect(planJobSearch('report for db').words).toEqual(['report', 'for', 'db']);
    expect(planJobSearch('#--').words).toEqual([]);
  });

  it('counts characters, not bytes, and keeps accents (the collation ignores them)', () => {
    expect(planJobSearch('zü Zürich').words).toEqual(['zü', 'zürich']);
    expect(planJobSearch(`${'ü'.repeat(84)} a`).findable).toBe(true);
    // Split before lower-casing: "İ" lower-cases to "i" and a combining dot, which would split the word.
    expect(planJobSearch('İstanbul').words).toEqual(['istanbul']);
  });

  it('finds nothing by a word longer than job_words keeps (84 characters)', () => {
    expect(planJobSearch(`report ${'x'.repeat(85)}`).findable).toBe(false);
  });
});

describe('jobWordsOf (the words job_words holds for a job)', () => {
  it('splits name and id as a search splits its text, each word once whatever its case, as written', () => {
    const words = (job: { id: string; name: string }) => jobWordsOf(job).map((w) => w.word);
    expect(words({ id: 'nightly-07.eu_west', name: 'Nightly Backup: EU/07' })).toEqual(['Nightly', 'Backup', 'EU', '07', 'eu_west']);
    const name = 'Zürich — Café report #12';
    expect(words({ id: 'z', name }).map((w) => w.toLowerCase())).toEqual([...planJobSearch(name).words, 'z']);
    // Lower-cased first, "İ" would become "i" and a combining dot, which splits the word.
    expect(words({ id: 'i', name: 'İstanbul' })).toEqual(['İstanbul', 'i']);
  });

  it('says whether each word is in the name, the id or both', () => {
    expect(jobWordsOf({ id: 'nightly-07.eu_west', name: 'Nightly Backup: EU/07' })).toEqual([
      { word: 'Nightly', fields: WORD_IN_NAME | WORD_IN_ID },
      { word: 'Backup', fields: WORD_IN_NAME },
      { word: 'EU', fields: WORD_IN_NAME },
      { word: '07', fields: WORD_IN_NAME | WORD_IN_ID },
      { word: 'eu_west', fields: WORD_IN_ID },
    ]);
  });

  it('keeps words of up to 84 characters (longer ones are not found, as the search says)', () => {
    expect(jobWordsOf({ id: 'a', name: `Report ${'x'.repeat(84)} ${'y'.repeat(85)}` }).map((w) => w.word)).toEqual(['Report', 'x'.repeat(84), 'a']);
  });
});
