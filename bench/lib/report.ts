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
  /** How fast this machine is on a fixed workload (see {@link calibrate}). */
  calibration: Calibration;
}

/**
 * The speed of this machine on two fixed workloads, so that runs on different machines of the same
 * kind can be told apart from changes in the code (machines named alike have differed by 2× here):
 * - `nodeMs`: Node, JSON of 20,000 job-like objects written and read back, and sorted (median of 5);
 * - `dbUsPerRow`: MariaDB, 20,000 rows with two secondary indexes inserted, updated (moving an
 *   index entry) and deleted, one statement each, per row and statement (median of 3).
 * Lower is faster. Taken while the machine is otherwise quiet, before a benchmark starts.
 */
export interface Calibration {
  nodeMs: number;
  dbUsPerRow: number;
}

const CALIBRATION_ROWS = 20_000;
const CALIBRATION_DB = 'cronboard_bench_calibrate';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function nodeWorkload(): number {
  const t0 = performance.now();
  const rows = Array.from({ length: CALIBRATION_ROWS }, (_, i) => ({ id: `job-${(i * 7919) % CALIBRATION_ROWS}`, name: `Sync invoices ${i}`, nextRunAt: new Date(1_700_000_000_000 + i * 1000).toISOString(), args: { url: 'https://example.com/', n: i } }));
  const back = JSON.parse(JSON.stringify(rows)) as typeof rows;
  back.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return performance.now() - t0;
}

/** Runs the two fixed workloads (see {@link Calibration}) against the server at `serverUrl`. */
export async function calibrate(serverUrl: string): Promise<Calibration> {
  const nodeMs = median(Array.from({ length: 5 }, nodeWorkload));
  const conn = await mysql.createConnection({ uri: serverUrl });
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS ${CALIBRATION_DB}`);
    await conn.query(`USE ${CALIBRATION_DB}`);
    await conn.query('DROP TABLE IF EXISTS calibration');
    await conn.query(`CREATE TABLE calibration (id BIGINT PRIMARY KEY, job_id VARCHAR(100) NOT NULL, status VARCHAR(20) NOT NULL, at DATETIME(3) NOT NULL,
                        KEY calibration_job (job_id, id), KEY calibration_status (status, at)) ENGINE=InnoDB`);
    const digits = '(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)';
    const numbers = `SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d AS n FROM ${digits} a, ${digits} b, ${digits} c, ${digits} e, ${digits} f`;
    const perRow: number[] = [];
    for (let round = 0; round < 3; round++) {
      const t0 = performance.now();
      await conn.query(`INSERT INTO calibration SELECT n, CONCAT('job-', n % 997), 'running', '2026-01-01' + INTERVAL n SECOND FROM (${numbers}) s WHERE n < ${CALIBRATION_ROWS}`);
      await conn.query("UPDATE calibration SET status = 'succeeded'");
      await conn.query('DELETE FROM calibration');
      perRow.push(((performance.now() - t0) * 1000) / CALIBRATION_ROWS / 3);
    }
    return { nodeMs, dbUsPerRow: median(perRow) };
  } finally {
    await conn.query(`DROP DATABASE IF EXISTS ${CALIBRATION_DB}`).catch(() => {});
    await conn.end();
  }
}

/** This machine and its database server (version, InnoDB buffer pool, speed). */
export async function describeMachine(databaseUrl: string): Promise<Machine> {
  const conn = await mysql.createConnection({ uri: databaseUrl });
  try {
    const [rows] = await conn.query('SELECT VERSION() AS v, @@innodb_buffer_pool_size AS pool');
    const { v, pool } = (rows as Array<{ v: string; pool: number }>)[0];
    const calibration = await calibrate(databaseUrl);
    return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model.trim() ?? '?', memGb: os.totalmem() / 2 ** 30, node: process.version, database: v, bufferPoolMb: Number(pool) / 2 ** 20, calibration };
  } finally {
    await conn.end();
  }
}

/** The calibration as a line's end ("calibration: Node 41 ms, MariaDB 9.8 µs per row"). */
export const calibrationText = (c: Calibration) => `calibration (lower is faster): Node ${fmt(c.nodeMs)} ms, MariaDB ${fmt(c.dbUsPerRow, 1)} µs per row`;

export const machineLine = (m: Machine) =>
  `Machine: ${m.cpus} × ${m.cpuModel}, ${fmt(m.memGb, 1)} GB, Node ${m.node}, MariaDB/MySQL ${m.database} (InnoDB buffer pool ${fmt(m.bufferPoolMb)} MB); client, server and database on the same machine; ${calibrationText(m.calibration)}.`;

/** Writes `data` to bench/results/<name>-<timestamp>.json; returns the path relative to the repo. */
export function writeResult(name: string, data: unknown): string {
  const dir = path.join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return path.relative(ROOT, file);
}
