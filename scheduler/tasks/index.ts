import { z } from 'zod';
import type { TaskInfo } from '../../lib/types';
import type { TaskDefinition } from '../task';
import { httpRequest } from './http-request';
import { logMessage } from './log-message';
import { pruneHistory } from './prune-history';
import { utilSleep } from './util-sleep';

/** The registry: every task a job can run. Add yours here. */
const ALL: TaskDefinition[] = [logMessage, utilSleep, httpRequest, pruneHistory];

const byName = new Map(ALL.map((t) => [t.name, t]));

/** The task called `name`, or undefined. */
export function getTask(name: string): TaskDefinition | undefined {
  return byName.get(name);
}

let cachedInfo: TaskInfo[] | undefined;

/** All tasks with their argument schemas as JSON Schema, for the form and GET /api/tasks. */
export function listTasks(): TaskInfo[] {
  cachedInfo ??= ALL.map((t) => ({
    name: t.name,
    title: t.title,
    description: t.description,
    // A plain JSON copy: toJSONSchema leaves a `~standard` key on the schema that React
    // refuses to pass to client components.
    argsSchema: JSON.parse(JSON.stringify(z.toJSONSchema(t.args, { io: 'input', unrepresentable: 'any' }))) as Record<string, unknown>,
  }));
  return cachedInfo;
}
