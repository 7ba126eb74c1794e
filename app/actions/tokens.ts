'use server';

import type { ActionResult } from '@/lib/action-result';
import { ValidationError } from '@/lib/errors';
import type { ApiTokenInfo } from '@/lib/types';
import { appContext } from '@/scheduler/context';
import { createToken, revokeToken, type CreatedToken } from '@/scheduler/tokens';
import { refreshDashboard, runAction } from '../_lib/actions';

/** Creates an API token named `input.name`; the answer holds the token, the only time it is seen. */
export async function createTokenAction(input: unknown): Promise<ActionResult<CreatedToken>> {
  const result = await runAction(() => createToken(appContext(), input));
  if (result.ok) refreshDashboard();
  return result;
}

/** Revokes the API token `id`: requests with it are refused from now on. */
export async function revokeTokenAction(id: unknown): Promise<ActionResult<ApiTokenInfo>> {
  const result = await runAction(() => {
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
      throw new ValidationError('Invalid token id.', { id: ['A token id is a whole number.'] });
    }
    return revokeToken(appContext(), id);
  });
  if (result.ok) refreshDashboard();
  return result;
}
