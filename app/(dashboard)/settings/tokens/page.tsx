import type { Metadata } from 'next';
import { createTokenAction, revokeTokenAction } from '@/app/actions/tokens';
import { requireSignedIn } from '@/app/_lib/auth';
import { CreateTokenForm } from '@/components/tokens/create-token-form';
import { TokensTable } from '@/components/tokens/tokens-table';
import { appContext } from '@/scheduler/context';
import { listTokens } from '@/scheduler/tokens';

export const metadata: Metadata = { title: 'API tokens · Cronboard' };

/** /settings/tokens: the API tokens made in the dashboard; create one (shown once) or revoke one. */
export default async function TokensPage() {
  await requireSignedIn();
  const tokens = await listTokens(appContext());
  return (
    <>
      <div className="page-header">
        <div>
          <h1>API tokens</h1>
          <p className="muted">
            Programs call the API with <code>Authorization: Bearer &lt;token&gt;</code>. Tokens set in{' '}
            <code>API_TOKENS</code> work too and are not listed here.
          </p>
        </div>
      </div>
      <CreateTokenForm createAction={createTokenAction} />
      <TokensTable tokens={tokens} revokeAction={revokeTokenAction} />
    </>
  );
}
