/** Output of the dashboard benchmarks: a markdown table, the machine, a JSON file under bench/results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { ROOT } from './proc';

/** A markdown table; columns after the first `leftColumns` are right-aligned. */
export function markdownTable(head: string[], rows: string[][], leftColumns = 1): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const left = (i: number) => i < leftColumns;
  const line = (cells: string[]) => `| ${cells.map((c, i) => (left(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (left(i) ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}

/** A number for the table: fixed digits, thousands separated, "-" when not finite. */
export const fmt = (v: number, digits = 0) => (Number.isFinite(v) ? v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '-');

export interface Machine {
  cpus: number;
  cpuModel: string;
  memGb: number;
  node: string;
  database: string;
  bufferPoolMb: number;
}

/** This machine and its database server (version, InnoDB buffer pool). */
export async function describeMachine(databaseUrl: string): Promise<Machine> {
  const conn = await mysql.createConnection({ uri: databaseUrl });
  try {
    const [rows] = await conn.query('SELECT VERSION() AS v, @@innodb_buffer_pool_size AS pool');
    const { v, pool } = (rows as Array<{ v: string; pool: number }>)[0];
    return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model.trim() ?? '?', memGb: os.totalmem() / 2 ** 30, node: process.version, database: v, bufferPoolMb: Number(pool) / 2 ** 20 };
  } finally {
    await conn.end();
  }
}

export const machineLine = (m: Machine) =>
  `Machine: ${m.cpus} × ${m.cpuModel}, ${fmt(m.memGb, 1)} GB, Node ${m.node}, MariaDB/MySQL ${m.database} (InnoDB buffer pool ${fmt(m.bufferPoolMb)} MB); client, server and database on the same machine.`;

/** Writes `data` to bench/results/<name>-<timestamp>.json; returns the path relative to the repo. */
export function writeResult(name: string, data: unknown): string {
  const dir = path.join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return path.relative(ROOT, file);
}
